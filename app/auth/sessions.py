"""Server-side sessions: the cookie holds a random token, the database decides if it still works.

A session ends when the user signs out (a copied cookie stops working at once), after
SESSION_IDLE_MINUTES without a request, or SESSION_MAX_HOURS after sign-in, whichever comes first.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, session
from sqlalchemy import select, update

from app.auth.models import User, UserSession
from app.common.db_types import utcnow
from app.extensions import db

SESSION_KEY = "sid"
# Writing last_seen_at on every request would make every page a write; a minute is precise enough.
TOUCH_EVERY = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_session_token(user: User) -> str:
    """Record a new server-side session for the user; return the token its cookie will carry."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(token_hash=_hash(token), user=user, created_at=now, last_seen_at=now)
    )
    user.last_sign_in_at = now
    db.session.commit()
    return token


def start_session(user: User) -> str:
    """Begin a new server-side session for the user and put its token in the cookie.

    The cookie session is cleared first, so nothing from before sign-in (including a fixated
    session) carries over.
    """
    token = issue_session_token(user)
    session.clear()
    session[SESSION_KEY] = token
    return token


def _expired(row: UserSession, now: datetime) -> bool:
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    return now - row.last_seen_at > idle or now - row.created_at > absolute


def user_for_session() -> User | None:
    """The user whose live session the cookie names; None when there is none or it has ended."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))
    now = utcnow()
    if row is None or row.revoked_at is not None or _expired(row, now):
        session.pop(SESSION_KEY, None)
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        db.session.execute(
            update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
        )
        db.session.commit()
    return row.user


def end_session() -> None:
    """Revoke the current server-side session and empty the cookie."""
    token = session.get(SESSION_KEY)
    if isinstance(token, str) and token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        db.session.commit()
    session.clear()


def live_session_count(user: User) -> int:
    """How many of the user's sessions are still live (neither revoked nor timed out)."""
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    )
    now = utcnow()
    return sum(1 for row in rows if not _expired(row, now))
