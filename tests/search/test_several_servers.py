"""Two servers over one database, each with its own Whoosh index folder: what one saves, the
other finds at once, through the change log in the database (app/search/changelog.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.pilots.lifecycle import change_status
from app.pilots.models import Pilot
from app.search import indexing
from app.search.changelog import SearchChange
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
            from app.search.changelog import prune

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
