"""Giving and taking away roles on a page: registry admins find people and grant or revoke any
role; council admins change a member's role or remove them from their council.

Granting goes through the same service as `flask users grant` (`service.grant_role_to`). Taking a
role away has two guards, so the registry and each council can always be looked after: the last
registry admin keeps the admin role, and a council's last council admin stays one (another admin
must be made first).
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.auth.audit import record_audit
from app.auth.models import COUNCIL_ROLES, Membership, User
from app.auth.service import INVITED_ISSUER, GrantError
from app.councils.models import Council
from app.extensions import db

PEOPLE_PER_PAGE = 50


class RoleError(ValueError):
    """The role cannot be changed; the message says why, for the person on the page."""


def find_people(words: str) -> list[User]:
    """People whose name or email contains the words (everyone when empty), by name, at most
    PEOPLE_PER_PAGE, with their roles loaded."""
    query = select(User).options(selectinload(User.memberships)).order_by(User.name, User.email)
    words = words.strip().lower()
    if words:
        pattern = "%" + words.replace("\\", "").replace("%", "").replace("_", "") + "%"
        query = query.where(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
    return list(db.session.scalars(query.limit(PEOPLE_PER_PAGE)))


def person(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def is_invitation(user: User) -> bool:
    """A placeholder made by a grant before the person first signed in."""
    return user.issuer == INVITED_ISSUER


def _approved_count(role: str, council_id: int | None) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(
                Membership.role == role,
                Membership.status == "approved",
                Membership.council_id.is_(None)
                if council_id is None
                else Membership.council_id == council_id,
            )
        )
        or 0
    )


def _check_not_the_last(membership: Membership) -> None:
    """Refuse to take away the registry's last admin or a council's last council admin."""
    if membership.status != "approved":
        return
    if membership.role == "admin" and _approved_count("admin", None) <= 1:
        raise RoleError("This is the registry's only admin: make someone else an admin first")
    council = membership.council
    if (
        membership.role == "council-admin"
        and council is not None
        and _approved_count("council-admin", council.id) <= 1
    ):
        raise RoleError(
            f"This is the only council admin of {council.nice_name}: "
            "make someone else its council admin first"
        )


def _label(membership: Membership) -> str:
    where = f" of {membership.council.nice_name}" if membership.council else ""
    return f"{membership.role}{where} from {membership.user.display_name}"


def revoke_role(user: User, membership_id: int, actor: User | None) -> Membership:
    """Take one role away from the person (a registry admin's action, or `flask users revoke`),
    audited, in one commit."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != user.id:
        raise RoleError("This person does not hold that role")
    _check_not_the_last(membership)
    record_audit(
        actor, "revoked", "user", user.email or user.id, _label(membership),
        membership.council_id, role=membership.role,
    )  # fmt: skip
    db.session.delete(membership)
    db.session.commit()
    return membership


def council_membership(council: Council, membership_id: int) -> Membership | None:
    """One of the council's members (approved), or None."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.council_id != council.id:
        return None
    return membership if membership.status == "approved" else None


def change_member_role(council: Council, membership: Membership, role: str, actor: User) -> None:
    """A council admin makes a member an editor or a council admin of their council, audited.

    A person who already holds the other role keeps that one alone (a role is held once)."""
    if role not in COUNCIL_ROLES:
        raise GrantError(f"unknown council role {role!r}")
    if role == membership.role:
        return
    _check_not_the_last(membership)
    record_audit(
        actor, "changed-role", "membership", membership.user.email or membership.user_id,
        f"{membership.user.display_name}: {membership.role} to {role} of {council.nice_name}",
        council.id, before=membership.role, after=role,
    )  # fmt: skip
    already = next(
        (m for m in membership.user.memberships if m.role == role and m.council_id == council.id),
        None,
    )
    if already is not None:
        already.status = "approved"
        db.session.delete(membership)
    else:
        membership.role = role
    db.session.commit()


def remove_member(council: Council, membership: Membership, actor: User) -> None:
    """A council admin removes a member's role in their council, audited, in one commit."""
    _check_not_the_last(membership)
    record_audit(
        actor, "removed", "membership", membership.user.email or membership.user_id,
        f"{membership.role} of {council.nice_name}: {membership.user.display_name}", council.id,
        role=membership.role,
    )  # fmt: skip
    db.session.delete(membership)
    db.session.commit()


def revoke_by_email(email: str, role: str, council_code: str | None) -> Membership:
    """`flask users revoke`: take the role away from the account with this email, with the same
    guards as the page."""
    email = email.strip().lower()
    held = [
        m
        for user in db.session.scalars(select(User).where(User.email == email))
        for m in user.memberships
        if m.role == role
        and (m.council.code if m.council else None)
        == (council_code.upper() if council_code else None)
    ]
    if not held:
        where = f" for {council_code.upper()}" if council_code else ""
        raise RoleError(f"{email} does not hold the {role} role{where}")
    return revoke_role(held[0].user, held[0].id, None)
