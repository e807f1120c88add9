"""Two servers over one database, each with its own Whoosh index folder: what one saves, the
other finds at once, through the change log in the database (app/search/changelog.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from app import create_app
from app.extensions import db
from app.pilots.lifecycle import change_status
from app.pilots.models import Pilot
from app.search import indexing
from app.search.changelog import SearchChange, prune, record
from app.search.whoosh.index import IndexDirectory
from tests.checked_client import CheckedClient
from tests.conftest import app_overrides, empty_database
from tests.factories import create_pilot, create_registered_pilot


def server(database_url: str, folder: Path, **settings: object) -> Flask:
    """One server: an app on the run's database with an index folder of its own, built."""
    application = create_app({**app_overrides(database_url, folder), **settings})
    application.test_client_class = CheckedClient
    with application.app_context():
        indexing.reindex()
    return application


@pytest.fixture
def servers(app: Flask, database_url: str, tmp_path: Path) -> Iterator[tuple[Flask, Flask]]:
    """Servers A and B (`app` has migrated the database they share)."""
    a = server(database_url, tmp_path / "a")
    b = server(database_url, tmp_path / "b")
    yield a, b
    for application in (a, b):
        with application.app_context():
            indexing.wait_for_rebuild()
            indexing.close_searchers()
    with a.app_context():
        db.session.rollback()
        empty_database()
        db.session.remove()
    for application in (a, b):
        with application.app_context():
            db.engine.dispose()


def found(application: Flask, words: str) -> str:
    """The /search page's text on this server."""
    response = application.test_client().get("/search", query_string={"q": words})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def mark_of(application: Flask) -> int:
    return IndexDirectory(application.config["SEARCH_INDEX_DIR"]).applied_change()


def log_rows(application: Flask) -> int:
    with application.app_context():
        return db.session.scalar(select(func.count()).select_from(SearchChange)) or 0


def test_a_pilot_registered_on_a_is_found_on_b_at_once(servers):
    a, b = servers
    with a.app_context():
        create_registered_pilot(title="Gritting routes by drone")
    assert "Gritting routes by drone" in found(b, "gritting drone")
    with a.app_context():
        head = indexing.change_log().head()
    assert mark_of(a) == mark_of(b) == head > 0


def test_an_edit_and_a_withdrawal_on_a_reach_b(servers):
    a, b = servers
    with a.app_context():
        pilot = create_pilot(title="Library opening hours", status="registered")
        slug = pilot.slug
    assert "Library opening hours" in found(b, "library")
    with a.app_context():
        pilot = db.session.scalar(select(Pilot).where(Pilot.slug == slug))
        pilot.summary = "Self-service kiosks staffed by volunteers in the evening."
        db.session.commit()
    assert "Library opening hours" in found(b, "volunteers kiosks")
    with a.app_context():
        pilot = db.session.scalar(select(Pilot).where(Pilot.slug == slug))
        change_status(pilot, "withdraw", None, date(2026, 1, 2), reason="No budget")
    # Withdrawn pilots stay public as tombstones: found, and filed under their new status.
    page = b.test_client().get("/search", query_string={"q": "library", "status": "withdrawn"})
    assert "Library opening hours" in page.get_data(as_text=True)


def test_a_pilot_deleted_on_a_leaves_b(servers):
    a, b = servers
    with a.app_context():
        pilot_id = create_pilot(title="Pothole reporting by photograph", status="registered").id
    assert "Pothole reporting" in found(b, "pothole")
    with a.app_context():
        db.session.delete(db.session.get(Pilot, pilot_id))
        db.session.commit()
    assert "Pothole reporting" not in found(b, "pothole")


def test_a_rolled_back_change_writes_no_log_row(servers):
    a, b = servers
    before = log_rows(a)
    with a.app_context():
        create_pilot(title="Kept", status="registered")
        kept = log_rows(a)
        pilot = db.session.scalar(select(Pilot).where(Pilot.title == "Kept"))
        pilot.title = "Rolled back title"
        db.session.flush()
        db.session.rollback()
    assert kept == before + 1
    assert log_rows(a) == kept
    assert "Rolled back title" not in found(b, "rolled back")


def test_a_draft_save_is_not_logged(servers):
    a, _b = servers
    before = log_rows(a)
    with a.app_context():
        create_pilot(title="Private draft", status="draft")
    assert log_rows(a) == before


def test_b_too_far_behind_the_pruned_log_rebuilds(servers):
    a, b = servers
    with a.app_context():
        create_pilot(title="Old change about allotments", status="registered")
        # The log keeps a week: this change is eight days old, and B never applied it.
        db.session.execute(
            SearchChange.__table__.update().values(changed_at=datetime.now(UTC) - timedelta(days=8))
        )
        db.session.commit()
        create_pilot(title="New change about bus stops", status="registered")
        with db.engine.begin() as connection:
            assert prune(connection, keep_days=7) > mark_of(b)
    with b.app_context():
        rebuilt_from = mark_of(b)
        indexing.catch_up()  # finds its mark pruned: rebuilds in the background
        assert indexing.wait_for_rebuild()
    assert mark_of(b) > rebuilt_from
    assert "Old change about allotments" in found(b, "allotments")
    assert "New change about bus stops" in found(b, "bus stops")


def test_the_mark_survives_a_restart(servers, database_url, tmp_path):
    a, b = servers
    with a.app_context():
        create_pilot(title="Street lighting dimmed at night", status="registered")
    assert "Street lighting" in found(b, "lighting")
    mark = mark_of(b)
    index = Path(b.config["SEARCH_INDEX_DIR"])
    restarted = create_app(app_overrides(database_url, tmp_path / "b"))
    assert restarted.config["SEARCH_INDEX_DIR"] == str(index)
    try:
        with restarted.app_context():
            generation = indexing.whoosh_backend().directory.current_target()
            segments = sorted(p.name for p in generation.iterdir())
            indexing.catch_up()  # nothing to apply: no new segment is written
            assert sorted(p.name for p in generation.iterdir()) == segments
        assert mark_of(restarted) == mark
        assert "Street lighting" in found(restarted, "lighting")
    finally:
        with restarted.app_context():
            indexing.close_searchers()
            db.engine.dispose()


def test_health_reports_the_mark_and_the_lag(servers):
    a, b = servers
    with a.app_context():
        create_pilot(title="Recycling collections", status="registered")
        head = indexing.change_log().head()
    with b.app_context():
        state = indexing.current_backend().state()
        assert state["applied_change"] < head
    health = b.test_client().get("/healthz").get_json()["search"]
    assert health["applied_change"] < head and health["changes_behind"] == 1
    found(b, "recycling")
    health = b.test_client().get("/healthz").get_json()["search"]
    assert health["applied_change"] == head and health["changes_behind"] == 0


@pytest.mark.postgres_only
def test_the_postgres_backend_needs_no_log(app, database_url, tmp_path):
    """PostgreSQL's vectors are written in the saving transaction: B finds A's save with no
    log row written and no index folder of its own."""
    a = create_app({**app_overrides(database_url, tmp_path / "a"), "SEARCH_BACKEND": "postgres"})
    b = create_app({**app_overrides(database_url, tmp_path / "b"), "SEARCH_BACKEND": "postgres"})
    try:
        before = log_rows(a)
        with a.app_context():
            create_registered_pilot(title="Gully cleaning by sensor")
        assert "Gully cleaning by sensor" in found(b, "gully sensor")
        assert log_rows(a) == before
        assert not Path(b.config["SEARCH_INDEX_DIR"]).exists()
    finally:
        with a.app_context():
            db.session.rollback()
            empty_database()
            db.session.remove()
        for application in (a, b):
            with application.app_context():
                db.engine.dispose()


@pytest.mark.postgres_only
def test_a_second_writer_logs_only_after_the_first_commits(servers):
    """Log ids in commit order: otherwise a server could read id 11, move its mark there, and
    never see id 10 committed a moment later."""
    a, _b = servers
    with a.app_context():
        first, second = db.engine.connect(), db.engine.connect()
        try:
            first.begin()
            record(first, {1})
            logged = threading.Event()

            def write_second() -> None:
                second.begin()
                record(second, {2})
                logged.set()
                second.commit()

            writer = threading.Thread(target=write_second)
            writer.start()
            assert not logged.wait(0.5), "the second writer logged while the first was open"
            first.commit()
            writer.join(10)
            assert logged.is_set()
            rows = (
                first.execute(
                    select(SearchChange.pilot_id)
                    .where(SearchChange.pilot_id.in_([1, 2]))
                    .order_by(SearchChange.id)
                )
                .scalars()
                .all()
            )
            assert rows == [1, 2]
        finally:
            first.close()
            second.close()


def test_the_log_migration_goes_down_and_up_again(app_ctx):
    """Migration 0020 on whichever database this run uses: down drops the log, up brings it
    back, empty, and saves are logged again."""
    db.session.remove()
    downgrade(revision="appraisal_0003")
    try:
        with db.engine.connect() as connection:
            assert "search_changes" not in inspect(connection).get_table_names()
    finally:
        upgrade()
    before = db.session.scalar(select(func.count()).select_from(SearchChange))
    create_pilot(title="Logged again", status="registered")
    assert db.session.scalar(select(func.count()).select_from(SearchChange)) == before + 1
