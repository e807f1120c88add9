"""The site's content generation: a token that changes in the same transaction as any write.

Cached pages (app.common.caching.page_cache) are valid only for the token they were rendered under.
The token lives in the database, so every gunicorn worker and every server sees a change at the
moment it commits, and a write that rolls back (or a worker killed before its commit) changes
nothing. It is bumped in `before_commit`, inside the writing transaction, rather than after the
commit: there is no moment when the new data is visible under the old token, and no crash
between the two can leave cached pages stale.

Writes no public page can show leave it alone: a signed-in session's "last seen" time (or
signed-in browsing would empty every worker's cache once a minute), the audit log (seen only
signed in), and whatever a domain declares private with `private_when()`: a draft pilot's rows,
which nobody outside its council sees, so editors saving drafts do not empty every cache.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import Engine, create_engine, event, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.common.caching.listener import CHANNEL, GenerationListener, listener_for
from app.common.caching.models import ROW_ID, ContentGeneration
from app.extensions import db

CHANGED = "content_changed"
BUMPED = "content_generation_bumped"
READER = "content_generation_reader"
CONNINFO = "content_generation_conninfo"
GENERATION_SQL = "SELECT token FROM content_generation WHERE id = 1"  # the row ROW_ID
# Tables whose writes change no public page: the generation itself, sessions, the audit log.
PRIVATE_TABLES = {"content_generation", "user_sessions", "audit_events"}
# (session, changed object) → True when no public page shows the change.
PrivateCheck = Callable[[Session, object], bool]
_private_checks: list[PrivateCheck] = []


def _reader() -> Engine:
    # Every anonymous page view asks for the token, so it has its own small pool of autocommit
    # connections: one statement, where the session would add a ping, BEGIN and ROLLBACK (four
    # round trips to PostgreSQL for a page that is then served from memory).
    engine = current_app.extensions.get(READER)
    if engine is None:
        engine = create_engine(db.engine.url, isolation_level="AUTOCOMMIT", pool_size=1)
        engine = current_app.extensions.setdefault(READER, engine)
        # It lives and dies with the app's engine: whoever disposes that closes this too.
        event.listen(db.engine, "engine_disposed", lambda _: engine.dispose())
    return engine  # type: ignore[no-any-return]


def _listener(start: bool = True) -> GenerationListener | None:
    if db.engine.dialect.name != "postgresql" or not current_app.config["PAGE_CACHE_LISTEN"]:
        return None
    conninfo = current_app.extensions.get(CONNINFO)
    if conninfo is None:
        url = db.engine.url.set(drivername="postgresql")  # psycopg's own URL, not SQLAlchemy's
        conninfo = current_app.extensions[CONNINFO] = url.render_as_string(hide_password=False)
    return listener_for(conninfo, GENERATION_SQL, start)


def current_generation() -> str | None:
    """The token of the newest committed write; None if the row is missing (then cache nothing)."""
    listener = _listener()
    if listener is not None and (known := listener.token()) is not None:
        return known
    query = select(ContentGeneration.token).where(ContentGeneration.id == ROW_ID)
    for attempt in (1, 2):
        try:
            with _reader().connect() as connection:
                token: str | None = connection.scalar(query)
                return token
        except DBAPIError as error:
            # Without a ping before each use, a connection the server dropped (a restart) fails
            # once; the pool has then discarded it, and the second attempt connects afresh.
            if attempt == 2 or not error.connection_invalidated:
                raise
    return None


def private_when(check: PrivateCheck) -> None:
    """Count changes that `check` calls private as changing no public page."""
    if check not in _private_checks:
        _private_checks.append(check)


def _is_private(session: Session, obj: object) -> bool:
    if getattr(obj, "__tablename__", None) in PRIVATE_TABLES:
        return True
    return any(check(session, obj) for check in _private_checks)


def _note_flush(session: Session, flush_context: Any) -> None:
    # after_flush still sees what was flushed, and each attribute's history, before they reset.
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(not _is_private(session, o) for o in changed):
        session.info[CHANGED] = True


def _note_statement(state: Any) -> None:
    # Bulk UPDATE/DELETE/INSERT statements never pass through a flush. Anything else (a read, or
    # a text() query such as PostgreSQL search's ts_headline) changes nothing.
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and table.name in PRIVATE_TABLES:
        return
    state.session.info[CHANGED] = True


def _bump(session: Session) -> None:
    # The commit flushes only after this hook: flush first, so every change is counted now.
    session.flush()
    if not session.info.pop(CHANGED, False):
        return
    token = secrets.token_hex(16)
    done = session.execute(
        update(ContentGeneration).where(ContentGeneration.id == ROW_ID).values(token=token)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        # The row went missing (a test emptied every table): put it back.
        session.add(ContentGeneration(id=ROW_ID, token=token))
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # delivered to every listener if this commits
        connection.execute(
            text("SELECT pg_notify(:channel, :token)"), {"channel": CHANNEL, "token": token}
        )
    session.info[BUMPED] = token


def _forget(session: Session) -> None:
    session.info.pop(CHANGED, None)
    token = session.info.pop(BUMPED, None)
    # Only a listener this process already has: a command that only writes starts none.
    if token and has_app_context() and (listener := _listener(start=False)):
        listener.forget(until=token)


def _rolled_back(session: Session) -> None:
    session.info.pop(CHANGED, None)
    session.info.pop(BUMPED, None)


def install() -> None:
    """Listen to every session's events (once per process)."""
    if event.contains(Session, "before_commit", _bump):
        return
    for name, listener in (
        ("after_flush", _note_flush),
        ("do_orm_execute", _note_statement),
        ("before_commit", _bump),
        ("after_commit", _forget),
        ("after_rollback", _rolled_back),
    ):
        event.listen(Session, name, listener)
