"""Users, their roles, and who may do what."""

from __future__ import annotations

from flask import g
from sqlalchemy import select, update

from app.auth.audit import record_audit
from app.auth.models import COUNCIL_ROLES, ROLES, ROLES_HELD_FOR_A_COUNCIL, Membership, User
from app.auth.oidc import Identity
from app.auth.sessions import end_session, start_session, user_for_session
from app.common.conflicts import retry_on_conflict
from app.councils.models import Council
from app.extensions import db

DEV_ISSUER = "urn:proving-ground:development"
INVITED_ISSUER = "urn:proving-ground:invited"


def current_user() -> User | None:
    """The signed-in user for this request, or None: the cookie must name a live server session."""
    if "user" not in g:
        g.user = user_for_session()
    user: User | None = g.user
    return user


def sign_in(user: User) -> None:
    """Start a fresh server-side session for the user (a new session at every sign-in)."""
    start_session(user)
    g.user = user


def sign_out() -> None:
    """End the session on the server, so a copy of the cookie no longer works."""
    end_session()
    g.user = None


def user_from_identity(identity: Identity) -> User:
    """The account for this (issuer, subject), created on first sign-in.

    Accounts are never found by email: the same address from a second provider is a second
    account. The one exception is an invitation made with `flask users grant` before the person
    had signed in: its roles pass to the first account that signs in with that email verified.
    Two first sign-ins at once (two tabs) make one account.
    """
    return retry_on_conflict(lambda: _user_from_identity(identity))


def _user_from_identity(identity: Identity) -> User:
    user = db.session.scalar(
        select(User).where(User.issuer == identity.issuer, User.subject == identity.subject)
    )
    if user is None:
        user = User(issuer=identity.issuer, subject=identity.subject)
        db.session.add(user)
        if identity.email and identity.email_verified:
            _claim_invitation(user, identity.email)
    user.email = identity.email
    user.email_verified = identity.email_verified
    user.name = identity.name or user.name
    db.session.commit()
    return user


def _claim_invitation(user: User, email: str) -> None:
    invited = db.session.scalar(
        select(User).where(User.issuer == INVITED_ISSUER, User.subject == email)
    )
    if invited is None:
        return
    db.session.flush()
    db.session.execute(
        update(Membership).where(Membership.user_id == invited.id).values(user_id=user.id)
    )
    db.session.expire(invited, ["memberships"])
    db.session.expire(user, ["memberships"])
    db.session.delete(invited)


def approved_memberships(user: User | None) -> list[Membership]:
    if user is None:
        return []
    return [m for m in user.memberships if m.status == "approved"]


def has_role(user: User | None, role: str) -> bool:
    return any(m.role == role for m in approved_memberships(user))


def is_admin(user: User | None) -> bool:
    return has_role(user, "admin")


def council_ids_with_role(user: User | None, *roles: str) -> set[int]:
    return {
        m.council_id
        for m in approved_memberships(user)
        if m.role in roles and m.council_id is not None
    }


def has_council_role(user: User | None) -> bool:
    """Whether the person writes pilots for some council: an editor, a council admin, or a
    registry admin (who edits for all). The header offers them their council's pilots."""
    return is_admin(user) or bool(council_ids_with_role(user, *COUNCIL_ROLES))


def editable_councils(user: User | None) -> list[Council]:
    """Councils the user may create pilots for, by name."""
    if user is None:
        return []
    query = select(Council).order_by(Council.nice_name)
    if not is_admin(user):
        ids = council_ids_with_role(user, "editor")
        if not ids:
            return []
        query = query.where(Council.id.in_(ids))
    return list(db.session.scalars(query))


def can_create_pilots(user: User | None) -> bool:
    return is_admin(user) or bool(council_ids_with_role(user, "editor"))


def can_edit_for_council(user: User | None, council_id: int) -> bool:
    return is_admin(user) or council_id in council_ids_with_role(user, "editor")


def can_view_council_drafts(user: User | None, council_id: int) -> bool:
    return is_admin(user) or council_id in council_ids_with_role(user, *COUNCIL_ROLES)


def get_or_create_user(issuer: str, subject: str, email: str = "", name: str = "") -> User:
    user = db.session.scalar(select(User).where(User.issuer == issuer, User.subject == subject))
    if user is None:
        user = User(issuer=issuer, subject=subject, email=email, name=name)
        db.session.add(user)
        db.session.flush()
    return user


class GrantError(ValueError):
    """A role could not be granted; the message says why."""


def grant_role(
    email: str, role: str, council_code: str | None, actor: User | None = None
) -> Membership:
    """Give the user with this email a role, creating a placeholder account if they have none.

    The placeholder is matched to the real account on first sign-in with a verified email.
    """
    if role not in ROLES:
        raise GrantError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    council = None
    if role in ROLES_HELD_FOR_A_COUNCIL:
        if not council_code:
            raise GrantError(f"the {role} role needs --council CODE")
        council = db.session.scalar(select(Council).where(Council.code == council_code.upper()))
        if council is None:
            raise GrantError(f"no council with code {council_code.upper()!r}")
    elif council_code:
        raise GrantError(f"the {role} role is not held for a council; leave out --council")
    email = email.strip().lower()
    if "@" not in email:
        raise GrantError(f"{email!r} is not an email address")
    users = list(db.session.scalars(select(User).where(User.email == email)))
    user = users[0] if users else get_or_create_user(INVITED_ISSUER, email, email)
    return grant_role_to(user, role, council, actor)


def grant_role_to(
    user: User, role: str, council: Council | None, actor: User | None = None
) -> Membership:
    """Give this account the role (for the council, for a council role), audited, in one
    commit; a role it already holds, or asked for, is approved rather than added twice."""
    if role not in ROLES:
        raise GrantError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if (role in ROLES_HELD_FOR_A_COUNCIL) != (council is not None):
        raise GrantError(f"the {role} role is {'' if council else 'not '}held for a council")
    membership = next(
        (
            m
            for m in user.memberships
            if m.role == role and m.council_id == (council and council.id)
        ),
        None,
    )
    if membership is None:
        membership = Membership(user=user, role=role, council=council, status="approved")
        db.session.add(membership)
    membership.status = "approved"
    record_audit(
        actor,
        "granted",
        "user",
        user.email or user.id,
        f"{role} to {user.display_name}",
        council and council.id,
        role=role,
    )
    db.session.commit()
    return membership


def demo_users() -> list[tuple[User, str]]:
    """The development sign-in's choice of demo users, with what each may do."""
    users = db.session.scalars(select(User).where(User.issuer == DEV_ISSUER).order_by(User.id))
    choices = []
    for user in users:
        roles = ", ".join(
            m.role + (f" for {m.council.nice_name}" if m.council else "")
            for m in approved_memberships(user)
        )
        choices.append((user, f"{user.display_name} ({roles or 'no role'})"))
    return choices


def demo_user(user_id: int | None) -> User | None:
    user = db.session.get(User, user_id) if user_id is not None else None
    return user if user is not None and user.issuer == DEV_ISSUER else None
