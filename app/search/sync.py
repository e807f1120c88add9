"""Keep the index in step with commits, from SQLAlchemy's session events.

After each flush we note which pilots changed (directly, or through their pillars, tags,
outcome report, funding awards, partners or a renamed council). Whoosh is updated after the
commit, never before it and never for a rolled-back change; PostgreSQL's vectors are written
inside the same transaction, so they commit or roll back with the change itself.

With Whoosh, the same pilots are written to the change log just before the commit, inside the
transaction (changelog.py), so that every other server's index applies them before its next
search; the committing worker applies them at once, as it always has, and moves its mark."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.councils.models import Council
from app.funding.models import Award
from app.pilots.models import OutcomeReport, Pilot, PilotPillar, PilotTag
from app.search import changelog, indexing
from app.search.postgres_backend import PostgresBackend

log = logging.getLogger(__name__)
PENDING = "search_pending_pilots"
LOGGED = "search_logged_pilots"  # set once the log is written: later flushes log at once
UNLOGGED = "search_unlogged_change"  # a bulk load changed pilots without noting which
COUNCIL_FIELDS = ("nice_name", "code", "region", "nation", "la_type")
_installed = False
_logged_commits = 0


def _council_changed(council: Council) -> bool:
    state: Any = inspect(council)
    return any(state.attrs[name].history.has_changes() for name in COUNCIL_FIELDS)


def _pilot_ids_of(obj: PilotPillar | PilotTag | OutcomeReport | Award) -> set[int]:
    """The pilot a row belongs to, and the one it belonged to before if it was moved (an award
    given to another pilot leaves the first one's programme facet)."""
    attrs: Any = inspect(obj).attrs
    ids = {obj.pilot_id, *attrs["pilot_id"].history.deleted}
    if "pilot" in attrs:  # moved through the relationship, the old id was never loaded
        ids |= {pilot.id for pilot in attrs["pilot"].history.deleted if pilot is not None}
    return {i for i in ids if i is not None}


def changed_pilot_ids(session: Session) -> tuple[set[int], set[int]]:
    """Pilots touched by this flush, and councils whose indexed details changed."""
    pilots: set[int] = set()
    councils: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Pilot) and obj.id is not None:
            pilots.add(obj.id)
        elif isinstance(obj, PilotPillar | PilotTag | OutcomeReport | Award):
            pilots.update(_pilot_ids_of(obj))
        elif isinstance(obj, Council) and obj in session.dirty and _council_changed(obj):
            councils.add(obj.id)
    return pilots, councils


def _enabled(session: Session) -> bool:
    """Off by setting SEARCH_SYNC false, or for one session by `info["search_sync"] = False`
    (a bulk load that reindexes once it has committed)."""
    return (
        has_app_context()
        and current_app.config.get("SEARCH_SYNC", True)
        and session.info.get("search_sync", True)
    )


def _logging(session: Session) -> bool:
    return has_app_context() and current_app.config["SEARCH_BACKEND"] == "whoosh"


def _bulk_load_to_log(session: Session) -> bool:
    """A session loading in bulk without search sync, whose changes no one has noted yet."""
    return (
        _logging(session)
        and current_app.config.get("SEARCH_SYNC", True)
        and not session.info.get(UNLOGGED)
    )


def _after_flush(session: Session, flush_context: Any) -> None:
    if not _enabled(session):
        if _bulk_load_to_log(session) and any(changed_pilot_ids(session)):
            session.info[UNLOGGED] = True
        return
    pilots, councils = changed_pilot_ids(session)
    if pilots or councils:
        pending = session.info.setdefault(PENDING, (set(), set()))
        pending[0].update(pilots)
        pending[1].update(councils)


def _after_flush_postexec(session: Session, flush_context: Any) -> None:
    if LOGGED in session.info:  # flushed after the log was written (by a later hook)
        _write_log(session)
    if not _enabled(session) or current_app.config["SEARCH_BACKEND"] != "postgres":
        return
    pilots, councils = session.info.pop(PENDING, (set(), set()))
    if not pilots and not councils:
        return
    with session.no_autoflush:
        if councils:
            pilots |= indexing.pilots_involving_councils(session, councils)
        documents, removed = indexing.documents_for(session, pilots)
        PostgresBackend(session).write_vectors(documents, removed)


def _before_commit(session: Session) -> None:
    if _logging(session) and (_enabled(session) or session.info.get(UNLOGGED)):
        session.flush()  # the commit flushes only after this hook: every change is noted now
        _write_log(session)


def _write_log(session: Session) -> None:
    """Log the pilots noted so far and not yet logged (or a rebuild marker for a bulk load);
    a council's change is logged as each of its pilots'. Draft pilots are left out: no index
    holds them, and editors saving drafts would otherwise fill the log."""
    logged: set[int | None] = session.info.setdefault(LOGGED, set())
    pilots, councils = session.info.get(PENDING, (set(), set()))
    with session.no_autoflush:
        if councils:
            pilots |= indexing.pilots_involving_councils(session, councils)
            councils.clear()
        new: set[int | None] = set(pilots) - logged
        if new:
            drafts = select(Pilot.id).where(Pilot.id.in_(new), Pilot.status == "draft")
            new -= set(session.scalars(drafts))
        if session.info.pop(UNLOGGED, False):
            new.add(None)
        if new:
            # Through the connection, not session.execute: the log is no page's content, and
            # the content generation counts ORM statements as changes to pages.
            changelog.record(session.connection(), new)
            logged |= new


def _after_commit(session: Session) -> None:
    pilots, councils = session.info.pop(PENDING, (set(), set()))
    logged = session.info.pop(LOGGED, set())
    if not (pilots or councils or logged) or not _enabled(session):
        return
    try:
        if councils:
            with Session(session.get_bind()) as reader:
                pilots |= indexing.pilots_involving_councils(reader, councils)
        indexing.apply_changes(pilots)
        if logged:
            _prune_now_and_then(indexing.change_log())
    except Exception:
        # The change is committed and its ids are queued on disk: the next writer, `flask
        # search check` or `flask search reindex` applies them. The user's save stands.
        log.exception("Updating the search index after a commit failed")


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(LOGGED, None)
    session.info.pop(UNLOGGED, None)


def _prune_now_and_then(changes: changelog.LogReader) -> None:
    """Every PRUNE_EVERY logged commits of this process, drop changes older than the log keeps."""
    global _logged_commits
    _logged_commits += 1
    if _logged_commits % changelog.PRUNE_EVERY == 0:
        changes.prune(current_app.config["SEARCH_LOG_KEEP_DAYS"])


def install() -> None:
    """Listen to every session's events (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_flush_postexec", _after_flush_postexec)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed = True
