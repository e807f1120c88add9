"""Users, their roles, and who may do what."""

from __future__ import annotations

from flask import g, session
from sqlalchemy import select

from app.auth.models import COUNCIL_ROLES, ROLES, Membership, User
from app.common.db_types import utcnow
from app.councils.models import Council
from app.extensions import db

DEV_ISSUER = "urn:proving-ground:development"


def current_user() -> User | None:
    """The signed-in user for this request, or None."""
    if "user" not in g:
        user_id = session.get("user_id")
        g.user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    user: User | None = g.user
    return user


def sign_in(user: User) -> None:
    """Start a fresh session for the user (a new session at every sign-in)."""
    session.clear()
    session["user_id"] = user.id
    session.permanent = True
    user.last_sign_in_at = utcnow()
    db.session.commit()
    g.user = user


def sign_out() -> None:
    session.clear()
    g.user = None


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


def grant_role(email: str, role: str, council_code: str | None) -> Membership:
    """Give the user with this email a role, creating a placeholder account if they have none.

    The placeholder is matched to the real account on first sign-in with a verified email.
    """
    if role not in ROLES:
        raise GrantError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    council = None
    if role in COUNCIL_ROLES:
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
    user = users[0] if users else get_or_create_user("urn:proving-ground:invited", email, email)
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
