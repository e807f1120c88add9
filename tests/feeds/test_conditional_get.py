"""Feed readers poll often: an unchanged feed answers 304 from one small query."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from app.common.db_types import utcnow
from app.extensions import db
from app.pilots import service
from app.pilots.events import record_event
from tests.factories import create_council, create_pilot
from tests.feeds.conftest import ALL_KINDS, parse

FEEDS = (
    "/feeds/pilots", "/feeds/councils/cnd", "/feeds/pillars/inclusion", "/feeds/events",
    "/feeds/search",
)  # fmt: skip


@pytest.fixture
def pilot(app_ctx):
    # Last changed days ago: HTTP dates count whole seconds, so an edit in the same second as the
    # last change can only be told apart by the ETag.
    long_ago = utcnow() - timedelta(days=2)
    council = create_council(code="CND", official_name="Conditional Council", updated_at=long_ago)
    created = create_pilot(
        council, title="Polled pilot", pillars=["inclusion"], updated_at=long_ago
    )
    record_event(created, "registered", None, "Registered")
    db.session.commit()
    return created


def _edit(pilot, title: str) -> None:
    data = service.PilotData(
        title=title, hypothesis=pilot.hypothesis, lead_council=pilot.lead_council,
        pillars=pilot.pillars,
    )  # fmt: skip
    service.update_pilot(pilot, data, None)


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("path", FEEDS)
def test_second_poll_with_etag_gets_304_and_no_body(client, pilot, path, kind):
    first = client.get(f"{path}.{kind}")
    parse(first)
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert "max-age=300" in first.headers["Cache-Control"]
    again = client.get(f"{path}.{kind}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    since = client.get(
        f"{path}.{kind}", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304
    assert since.data == b""


@pytest.mark.parametrize("path", ["/feeds/pilots", "/feeds/councils/cnd", "/feeds/search"])
def test_an_edit_makes_the_next_poll_a_200_with_the_change(client, pilot, path):
    first = client.get(f"{path}.atom")
    _edit(pilot, "Polled pilot, edited")
    by_etag = client.get(f"{path}.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert by_etag.status_code == 200
    assert by_etag.headers["ETag"] != first.headers["ETag"]
    assert parse(by_etag).entries[0].title == "Polled pilot, edited"
    by_date = client.get(
        f"{path}.atom", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert by_date.status_code == 200
    assert parse(by_date).entries[0].title == "Polled pilot, edited"


def test_a_new_event_changes_the_events_feed(client, pilot):
    first = client.get("/feeds/events.rss")
    record_event(pilot, "started", None, "Started")
    db.session.commit()
    again = client.get("/feeds/events.rss", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert parse(again).entries[0].title == "Started: Polled pilot"


def test_a_change_elsewhere_leaves_a_council_feed_unchanged(client, pilot):
    elsewhere = create_council()
    first = client.get("/feeds/councils/cnd.atom")
    create_pilot(elsewhere, title="Somewhere else")
    again = client.get("/feeds/councils/cnd.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_draft_does_not_change_any_feed(client, pilot):
    first = client.get("/feeds/pilots.atom")
    create_pilot(pilot.lead_council, status="draft", pillars=["inclusion"])
    again = client.get("/feeds/pilots.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path", ["/feeds/pilots", "/feeds/pillars/inclusion", "/feeds/events"])
def test_an_unchanged_poll_costs_one_query(client, pilot, path):
    first = client.get(f"{path}.atom")
    with counted_queries() as statements:
        not_modified = client.get(f"{path}.atom", headers={"If-None-Match": first.headers["ETag"]})
        cached = client.get(f"{path}.atom")
    assert not_modified.status_code == 304
    assert cached.data == first.data, "served from the cache, not rebuilt"
    assert len(statements) == 2, statements


def test_a_council_poll_costs_the_lookup_and_one_query(client, pilot):
    first = client.get("/feeds/councils/cnd.atom")
    with counted_queries() as statements:
        client.get("/feeds/councils/cnd.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert len(statements) == 2, statements


def test_a_feed_is_the_same_for_everyone(client, app_ctx, sign_in):
    from tests.factories import create_user

    sign_in(create_user())
    response = client.get("/feeds/pilots.atom")
    assert response.status_code == 200
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers
