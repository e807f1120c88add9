"""Keeping the index in step with the database: which backend, documents from pilots, full
rebuilds, drift checks, and the rebuild that starts by itself when the index is unreadable."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, current_app
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.funding.models import Award, Programme
from app.pillars.service import all_pillars, pillar_names
from app.pilots.models import PUBLIC_STATUSES, OutcomeReport, Pilot, pilot_partners
from app.search.backend import IndexUnavailable
from app.search.changelog import LogReader
from app.search.documents import SearchDocument, build_document, outcome_text
from app.search.postgres_backend import PostgresBackend
from app.search.sql_search import DbSession
from app.search.whoosh import WhooshBackend
from app.search.whoosh.following import WRITE_WAIT_SECONDS, FallenBehind

log = logging.getLogger(__name__)
_whoosh_backends: dict[str, WhooshBackend] = {}
_rebuild_guard = threading.Lock()
_checked_pillar_names: dict[str, tuple[str, ...]] = {}
LOG_READER = "search_log_reader"
_log_checked: dict[str, float] = {}  # index folder → when this process last read the log's head


def whoosh_backend() -> WhooshBackend:
    """The process's Whoosh backend for this app's index directory (its searcher is reused)."""
    index_dir = current_app.config["SEARCH_INDEX_DIR"]
    backend = _whoosh_backends.get(index_dir)
    if backend is None:
        backend = _whoosh_backends[index_dir] = WhooshBackend(index_dir)
    return backend


def current_backend() -> WhooshBackend | PostgresBackend:
    if current_app.config["SEARCH_BACKEND"] == "postgres":
        return PostgresBackend(db.session)
    return whoosh_backend()


def change_log() -> LogReader:
    """The log, read on a small pool of autocommit connections of its own: one statement per
    look at the head, where the app's engine would add a ping, BEGIN and ROLLBACK (measured on
    PostgreSQL under load: 5.4 ms for the look through the app's engine)."""
    reader = current_app.extensions.get(LOG_READER)
    if reader is None:
        reader = create_engine(db.engine.url, isolation_level="AUTOCOMMIT", pool_size=1)
        reader = current_app.extensions.setdefault(LOG_READER, reader)
        # It lives and dies with the app's engine: whoever disposes that closes this too.
        event.listen(db.engine, "engine_disposed", lambda _: reader.dispose())
    return LogReader(db.engine, reader)


def searching_backend() -> WhooshBackend | PostgresBackend:
    """The backend, in step with every change committed anywhere (catch_up) before it answers."""
    catch_up()
    return current_backend()


def catch_up() -> None:
    """Apply the changes other servers (or other workers) logged since this index's mark.

    One look at the log's head when the index is in step; at most SEARCH_LOG_WAIT_MS for the
    writer lock when it is not (another worker holding it is applying the same changes, or
    rebuilding): after that the search answers from the index as it is. An index that has
    fallen further behind than the log reaches is rebuilt in the background meanwhile."""
    config = current_app.config
    if config["SEARCH_BACKEND"] != "whoosh" or not config.get("SEARCH_SYNC", True):
        return
    now = time.monotonic()
    key = config["SEARCH_INDEX_DIR"]
    if now - _log_checked.get(key, -1e9) < config["SEARCH_LOG_CHECK_MS"] / 1000:
        return
    _log_checked[key] = now
    backend = whoosh_backend()
    try:
        mark = backend.directory.applied_change(backend.directory.current_target())
    except IndexUnavailable:
        return  # the search that meets it starts the rebuild
    if change_log().head() <= mark or _rebuild_guard.locked():
        return
    try:
        apply_changes(set(), wait=config["SEARCH_LOG_WAIT_MS"] / 1000)
    except Exception:
        # An index that cannot take the changes (damaged, or from an older release) is met by
        # the search itself, which answers from the database while it is rebuilt.
        log.exception("Applying the search change log failed; answering from the index as is")


def apply_changes(pilot_ids: set[int], wait: float = WRITE_WAIT_SECONDS) -> bool:
    """Apply the pilots' committed changes and every logged change this index lacks; False when
    another worker held the writer lock for `wait` seconds (it applies them before letting go),
    or when the index is too far behind and a rebuild has started."""
    try:
        return whoosh_backend().apply(pilot_ids, load_committed, wait, changes=change_log())
    except FallenBehind as error:
        log.warning("Rebuilding the search index: %s", error)
        rebuild_in_background(unreadable_only=False)
        return False


def _with_document_relations(query: Any) -> Any:
    return query.options(
        selectinload(Pilot.lead_council),
        selectinload(Pilot.partners),
        selectinload(Pilot.pillar_links),
        selectinload(Pilot.tag_links),
    )


def outcome_texts(session: DbSession, ids: Iterable[int]) -> dict[int, str]:
    """Pilot id → what its outcome report says, for the pilots among `ids` that have one."""
    reports = session.scalars(select(OutcomeReport).where(OutcomeReport.pilot_id.in_(ids)))
    return {r.pilot_id: outcome_text(r) for r in reports}


def _documents(session: DbSession, pilots: Iterable[Pilot]) -> list[SearchDocument]:
    """Index documents for public pilots, with their outcome reports and funding programmes
    read in one query each for the whole batch."""
    public = [p for p in pilots if p.is_public]
    ids = [p.id for p in public]
    outcomes = outcome_texts(session, ids)
    programmes: dict[int, list[str]] = {}
    awarded = select(Award.pilot_id, Programme.slug).join(Programme).where(Award.pilot_id.in_(ids))
    for pilot_id, slug in session.execute(awarded):
        programmes.setdefault(pilot_id, []).append(slug)
    names = pillar_names()
    return [build_document(p, names, outcomes.get(p.id, ""), programmes.get(p.id)) for p in public]


def documents_for(session: DbSession, ids: set[int]) -> tuple[list[SearchDocument], set[int]]:
    """Documents for the public pilots among `ids`, and the ids to take out of the index."""
    pilots = session.scalars(_with_document_relations(select(Pilot).where(Pilot.id.in_(ids))))
    documents = _documents(session, pilots)
    return documents, ids - {d.pilot_id for d in documents}


def load_committed(ids: set[int]) -> tuple[list[SearchDocument], set[int]]:
    """As documents_for, reading what is committed now through a session of its own."""
    with Session(db.engine) as session:
        return documents_for(session, ids)


def all_documents(session: DbSession, batch: int = 500) -> Iterator[SearchDocument]:
    ids = list(session.scalars(select(Pilot.id).where(Pilot.status.in_(PUBLIC_STATUSES))))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        query = _with_document_relations(select(Pilot).where(Pilot.id.in_(chunk)))
        yield from _documents(session, session.scalars(query).all())
        session.expunge_all()


def pilots_involving_councils(session: DbSession, council_ids: set[int]) -> set[int]:
    led = select(Pilot.id).where(Pilot.lead_council_id.in_(council_ids))
    partnered = select(pilot_partners.c.pilot_id).where(
        pilot_partners.c.council_id.in_(council_ids)
    )
    return set(session.scalars(led.union(partnered)))


def reindex() -> int:
    """Rebuild the whole index from the database; returns how many pilots it holds."""
    backend = current_backend()
    if isinstance(backend, PostgresBackend):
        documents = list(all_documents(db.session))
        public = {d.pilot_id for d in documents}
        drafts = set(db.session.scalars(select(Pilot.id).where(Pilot.status == "draft")))
        backend.write_vectors(documents, drafts - public)
        db.session.commit()
        return len(documents)
    count = 0

    def counted() -> Iterator[SearchDocument]:
        nonlocal count
        with Session(db.engine) as session:
            for document in all_documents(session):
                count += 1
                yield document

    backend.rebuild(counted(), load_committed, changes=change_log())
    return count


def check() -> list[str]:
    """Differences between the database and the index, one line each; empty when in step."""
    backend = current_backend()
    with Session(db.engine) as session:
        documents = {d.pilot_id: d for d in all_documents(session)}
    if isinstance(backend, PostgresBackend):
        return backend.drift(documents)
    try:
        with backend.directory.writer_lock(30.0):  # no save commits a new TOC meanwhile
            damaged = backend.check_files()
    except IndexUnavailable as error:
        return [f"the index cannot be read: {error}"]
    if damaged:  # nothing else of it can be trusted: `flask search reindex` rebuilds it
        return [f"the index's file {problem}" for problem in damaged]
    try:
        # First apply the changes already queued or logged.
        backend.apply(set(), load_committed, wait=30.0, changes=change_log())
        pairs = backend.indexed_digests()
    except IndexUnavailable as error:
        return [f"the index cannot be read: {error}"]
    except FallenBehind as error:
        return [f"the index has fallen behind: {error}; `flask search reindex` rebuilds it"]
    indexed = dict(pairs)
    copies = Counter(pilot_id for pilot_id, _digest in pairs)
    problems = [f"pilot {i} is in the index {n} times" for i, n in sorted(copies.items()) if n > 1]
    problems += [
        f"pilot {i} is missing from the index" for i in sorted(set(documents) - set(indexed))
    ]
    problems += [
        f"pilot {i} is in the index but is not public"
        for i in sorted(set(indexed) - set(documents))
    ]
    problems += [
        f"pilot {i} is out of date in the index"
        for i in sorted(set(documents) & set(indexed))
        if documents[i].digest != indexed[i]
    ]
    return problems


def rebuild_in_background(unreadable_only: bool = True) -> bool:
    """Start rebuilding an unreadable index in a thread, unless one is already running here;
    without `unreadable_only`, an index the change log can no longer bring up to date."""
    if not _rebuild_guard.acquire(blocking=False):
        return False
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        try:
            with app.app_context():
                backend = whoosh_backend()
                changes = change_log()

                def still_behind() -> bool:  # or did another worker rebuild it meanwhile?
                    return changes.after(backend.directory.applied_change()).rebuild

                with Session(db.engine) as session:
                    backend.rebuild(
                        all_documents(session),
                        load_committed,
                        only_if_unreadable=unreadable_only,
                        changes=changes,
                        only_if=None if unreadable_only else still_behind,
                    )
        except Exception:
            log.exception("Rebuilding the search index failed")
        finally:
            _rebuild_guard.release()

    threading.Thread(target=run, name="search-rebuild", daemon=True).start()
    return True


def refresh_renamed_pillars() -> None:
    """Reindex pilots whose pillar was renamed (pillar names live in content files)."""
    names = tuple(p.name for p in all_pillars())
    key = current_app.config["SEARCH_INDEX_DIR"] + current_app.config["SEARCH_BACKEND"]
    if _checked_pillar_names.get(key) == names:
        return
    backend = current_backend()
    stale: set[int] = set()
    for pillar in all_pillars():
        stale |= backend.stale_for_pillar(pillar.slug, pillar.name)
    if stale:
        if isinstance(backend, PostgresBackend):
            backend.write_vectors(*documents_for(db.session, stale))
            db.session.commit()
        else:
            backend.apply(stale, load_committed)
    _checked_pillar_names[key] = names


def wait_for_rebuild(timeout: float = 60.0) -> bool:
    """Wait for this process's background rebuild, if any; True when none is running."""
    if _rebuild_guard.acquire(timeout=timeout):
        _rebuild_guard.release()
        return True
    return False


def close_searchers() -> None:
    """Close every searcher this process holds (tests, and before deleting an index)."""
    for backend in _whoosh_backends.values():
        backend.close()
