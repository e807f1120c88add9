"""The page cache: anonymous readers get a stored page until anything it shows changes, in every
worker; signed-in users never get one; each response keeps its own nonce and exact headers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from sqlalchemy import Engine, event, select, update

from app import create_app
from app.auth.models import UserSession
from app.common.caching import generation, page_cache
from app.common.db_types import utcnow
from app.extensions import db
from app.funding import awards
from app.pilots import history, lifecycle, results, service, updates
from app.pilots.measures import measures_of
from app.pilots.models import Pilot
from app.search import indexing
from tests.common.test_security_headers import assert_security_headers, csp_nonce
from tests.conftest import app_overrides
from tests.factories import (
    create_award,
    create_council,
    create_measure,
    create_pilot,
    create_programme,
    create_registered_pilot,
    create_user,
)

TODAY = date(2026, 3, 2)
NONCE_ATTRIBUTE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture
def second_worker(app_ctx: Flask, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """Another app on the same database and search index: a second gunicorn worker."""
    overrides = app_overrides(database_url, tmp_path)
    overrides["SEARCH_INDEX_DIR"] = app_ctx.config["SEARCH_INDEX_DIR"]
    worker = create_app(overrides)
    yield worker
    close(worker)


def queries_for(app: Flask, fetch: Callable[[], Any]) -> tuple[Any, int]:
    """fetch()'s result and how many statements were sent to the database meanwhile (by the app's
    session or the generation's own reader)."""
    count = 0

    def counted(*_: Any) -> None:
        nonlocal count
        count += 1

    event.listen(Engine, "before_cursor_execute", counted)
    try:
        return fetch(), count
    finally:
        event.remove(Engine, "before_cursor_execute", counted)


def close(app: Flask) -> None:
    with app.app_context():
        db.engine.dispose()  # and the generation's reader with it


def text_of(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def assert_cached(app: Flask, url: str) -> str:
    """The page at url now comes from the cache: one query (the content generation), no more."""
    client = app.test_client()
    page, count = queries_for(app, lambda: text_of(client, url))
    # On PostgreSQL the generation usually comes by notice (none); else one query asks for it.
    assert count <= 1, f"{url} was rendered again ({count} queries)"
    return page


@pytest.fixture
def pilot(app_ctx: Flask) -> Pilot:
    council = create_council(code="AAA", nice_name="Alphaton")
    return create_registered_pilot(council, title="Chatbot for council tax", tags=["chatbot"])


def test_an_anonymous_reader_gets_the_stored_page_with_its_own_nonce(client, pilot):
    url = f"/pilots/{pilot.slug}"
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    nonces = [csp_nonce(r) for r in (first, second)]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        # Two scripts carry it: GOV.UK Frontend's inline one and the pilot's JSON-LD.
        assert NONCE_ATTRIBUTE.findall(response.get_data(as_text=True)) == [nonce, nonce]
        assert_security_headers(response)
    strip = NONCE_ATTRIBUTE.sub("", first.get_data(as_text=True))
    assert strip == NONCE_ATTRIBUTE.sub("", second.get_data(as_text=True))
    assert_cached(client.application, url)


def test_a_stored_page_has_the_headers_of_a_fresh_one_and_sets_no_cookie(client, pilot):
    url = f"/pilots/{pilot.slug}"
    fresh, stored = client.get(url), client.get(url)
    without_csp = [
        sorted((k, v) for k, v in r.headers.items() if k != "Content-Security-Policy")
        for r in (fresh, stored)
    ]
    assert without_csp[0] == without_csp[1]
    assert stored.headers.get_all("Vary") == ["Cookie"]
    assert "Set-Cookie" not in stored.headers and "Set-Cookie" not in fresh.headers
    assert "ETag" not in stored.headers and "Last-Modified" not in stored.headers


def test_the_pilot_page_gives_readers_no_cookie_even_with_csrf_on(app_ctx, pilot, tmp_path):
    # Building the register form for every reader used to give each of them a session cookie.
    overrides = {**app_overrides(app_ctx.config["SQLALCHEMY_DATABASE_URI"], tmp_path)}
    overrides["WTF_CSRF_ENABLED"] = True
    worker = create_app(overrides)
    response = worker.test_client().get(f"/pilots/{pilot.slug}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    close(worker)


def _edit(pilot: Pilot) -> str:
    pilot.summary = "Now answering about bins too."
    db.session.commit()
    return "Now answering about bins too."


def _start(pilot: Pilot) -> str:
    lifecycle.change_status(pilot, "start", None, TODAY)
    return "Running"


def _conclude(pilot: Pilot) -> str:
    lifecycle.change_status(pilot, "start", None, TODAY)
    measure = measures_of(pilot)[0]
    data = results.OutcomeData(
        values=[results.MeasuredValue(measure, Decimal("85"), TODAY)],
        narrative="Calls fell by a third.",
        advice="",
        verdict="proved",
        actual_end_date=TODAY,
    )
    results.conclude_pilot(pilot, data, None, TODAY)
    return "Calls fell by a third."


def _amend(pilot: Pilot) -> str:
    data = history.AmendmentData(
        reason="The contact centre asked for a longer trial.",
        hypothesis=pilot.hypothesis,
        planned_end_date=date(2026, 9, 30),
        evaluation_design=pilot.evaluation_design,
        verdict=None,
        thresholds={},
    )
    history.amend_pilot(pilot, data, None)
    return "Amended 1 time"


def _progress(pilot: Pilot) -> str:
    editor = create_user("editor", pilot.lead_council)
    updates.add_update(pilot, editor, "Half the calls now go to the chatbot.", TODAY, TODAY)
    return "Half the calls now go to the chatbot."


def _rename_council(pilot: Pilot) -> str:
    pilot.lead_council.nice_name = "Betaford"
    db.session.commit()
    return "Betaford"


def _award(pilot: Pilot) -> str:
    award = create_award(create_programme(name="Local Digital Fund"), pilot)
    award_data = awards.AwardData(
        pilot=pilot,
        recipient=pilot.lead_council,
        reference=award.reference,
        amount_awarded_pence=award.amount_awarded_pence,
        award_date=award.award_date,
        amount_disbursed_pence=2_500_00,
    )
    awards.update_award(award, award_data)
    return "£2,500 paid so far"


def _similar(pilot: Pilot) -> str:
    # A new public pilot changes the search index, and so the pilot page's "similar pilots".
    create_pilot(pilot.lead_council, title="Chatbot for parking permits", tags=["chatbot"])
    return "Chatbot for parking permits"


CHANGES = {
    "edit": _edit,
    "lifecycle": _start,
    "result": _conclude,
    "amendment": _amend,
    "progress update": _progress,
    "council rename": _rename_council,
    "award change": _award,
    "similar pilots": _similar,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_kind_of_change_reaches_a_page_another_worker_stored(pilot, second_worker, change):
    url = f"/pilots/{pilot.slug}"
    reader = second_worker.test_client()
    text_of(reader, url)
    before = assert_cached(second_worker, url)
    shown = change(pilot)
    assert shown not in before
    assert shown in text_of(reader, url)
    assert shown in assert_cached(second_worker, url)


def test_an_index_change_made_after_the_commit_reaches_a_stored_page(pilot, second_worker):
    # Whoosh applies a change after its commit, sometimes later and in another worker (the one
    # holding the writer lock): the page must follow the index, not only the database.
    app = current_app._get_current_object()
    app.config["SEARCH_SYNC"] = False
    try:
        other = create_pilot(
            pilot.lead_council, title="Chatbot for parking permits", tags=["chatbot"]
        )
    finally:
        app.config["SEARCH_SYNC"] = True
    url = f"/pilots/{pilot.slug}"
    reader = second_worker.test_client()
    assert "Chatbot for parking permits" not in text_of(reader, url)
    assert_cached(second_worker, url)
    indexing.whoosh_backend().apply({other.id}, indexing.load_committed)
    assert "Chatbot for parking permits" in text_of(reader, url)


def test_a_change_reaches_the_listings_another_worker_stored(pilot, second_worker):
    reader = second_worker.test_client()
    pages = ["/", "/pilots", "/councils/aaa", "/pillars/developing-solutions", "/search?q=chatbot"]
    for url in pages:
        text_of(reader, url)
        assert "Chatbot for council tax" in assert_cached(second_worker, url)
    pilot.title = "Chatbot for council tax and bins"
    db.session.commit()
    for url in pages:
        assert "Chatbot for council tax and bins" in text_of(reader, url), url


def test_registering_a_draft_publishes_it_on_stored_listings(app_ctx, second_worker):
    council = create_council(code="AAA")
    reader = second_worker.test_client()
    text_of(reader, "/pilots")
    draft = create_pilot(council, status="draft", title="Parking chatbot")
    assert "Parking chatbot" not in text_of(reader, "/pilots")
    create_measure(draft)
    lifecycle.register_pilot(draft, None, TODAY)
    assert "Parking chatbot" in text_of(reader, "/pilots")


def test_saving_a_draft_keeps_every_stored_page(pilot, second_worker):
    pages = [f"/pilots/{pilot.slug}", "/pilots", "/", "/councils/aaa", "/search?q=chatbot"]
    editor = create_user("editor", pilot.lead_council)
    indexing.reindex()  # else the search page would start one, and change what pages show
    reader = second_worker.test_client()
    for url in pages:
        text_of(reader, url)
    data = service.PilotData(
        title="Chatbot draft",
        hypothesis="We believe a chatbot will help.",
        lead_council=pilot.lead_council,
        pillars=["inclusion"],
        tags=["chatbot"],
        start_date=date(2026, 4, 1),
        planned_end_date=date(2026, 9, 30),
        evaluation_design=2,
    )
    draft = service.create_pilot(data, editor)
    data.title = "Chatbot draft, edited"
    service.update_pilot(draft, data, editor)
    create_measure(draft)
    for url in pages:
        assert "Chatbot draft" not in assert_cached(second_worker, url), url
    lifecycle.register_pilot(draft, editor, TODAY)
    assert "Chatbot draft, edited" in text_of(reader, "/pilots")


def test_a_rolled_back_change_keeps_the_stored_page(client, pilot):
    url = f"/pilots/{pilot.slug}"
    text_of(client, url)
    pilot.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert "Never saved" not in assert_cached(client.application, url)


def test_a_signed_in_session_being_touched_keeps_every_stored_page(client, pilot):
    url = f"/pilots/{pilot.slug}"
    text_of(client, url)
    before = generation.current_generation()
    db.session.execute(update(UserSession).values(last_seen_at=utcnow()))
    db.session.commit()
    assert generation.current_generation() == before
    assert_cached(client.application, url)


def test_pages_stored_yesterday_are_rendered_again_today(client, pilot, monkeypatch):
    url = f"/pilots/{pilot.slug}"
    text_of(client, url)
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(page_cache, "utcnow", lambda: tomorrow)
    _, count = queries_for(client.application, lambda: text_of(client, url))
    assert count > 1


def test_signed_in_users_never_get_or_leave_a_stored_page(client, pilot, sign_in):
    url = f"/pilots/{pilot.slug}"
    editor = create_user("editor", pilot.lead_council, name="Priya Shah")
    other = create_user("editor", create_council(code="BBB"), name="Sam Other")
    sign_in(editor)
    sign_in(other)  # signing in is a write; nothing is written after this
    anonymous = client.application.test_client()
    text_of(anonymous, url)
    assert "Sign out" not in assert_cached(client.application, url)
    page, count = queries_for(client.application, lambda: text_of(client, url))
    assert count > 1 and "Sam Other" in page and "Sign out" in page
    # Had the signed-in page been stored, it would now be served to anonymous readers.
    assert "Sam Other" not in assert_cached(client.application, url)
    sign_in(editor)
    page = text_of(client, url)
    assert "Manage this pilot" in page and "Priya Shah" in page and "Sam Other" not in page
    again = text_of(anonymous, url)
    assert "Sign out" not in again and "Priya Shah" not in again and "Sam Other" not in again
    assert "Manage this pilot" not in again


def test_a_flash_message_is_shown_once_and_never_stored(client, pilot, sign_in):
    editor = create_user("editor", pilot.lead_council)
    url = f"/pilots/{pilot.slug}"
    text_of(client, url)
    sign_in(editor)
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Your changes have been saved.")]
    assert "Your changes have been saved." in text_of(client, url)
    client.delete_cookie("session", domain="localhost")
    assert "Your changes have been saved." not in text_of(client, url)


def test_error_pages_and_drafts_are_never_stored(client, app_ctx):
    council = create_council(code="AAA")
    draft = create_pilot(council, status="draft")
    stored = page_cache.cached_pages()
    assert client.get(f"/pilots/{draft.slug}").status_code == 404
    assert client.get("/pilots/no-such-pilot").status_code == 404
    assert client.get("/pilots?pillar=nope").status_code == 400
    assert page_cache.cached_pages() == stored


def test_the_cache_can_be_turned_off(client, pilot):
    url = f"/pilots/{pilot.slug}"
    client.application.config["PAGE_CACHE_ENABLED"] = False
    try:
        text_of(client, url)
        _, count = queries_for(client.application, lambda: text_of(client, url))
        assert count > 1
    finally:
        client.application.config["PAGE_CACHE_ENABLED"] = True


def test_without_a_generation_nothing_is_stored_until_the_next_write(client, pilot, monkeypatch):
    # A row deleted behind the app's back sends no notice: this is about asking the database.
    monkeypatch.setitem(client.application.config, "PAGE_CACHE_LISTEN", False)
    db.session.execute(generation.ContentGeneration.__table__.delete())
    db.session.commit()
    url = f"/pilots/{pilot.slug}"
    text_of(client, url)
    _, count = queries_for(client.application, lambda: text_of(client, url))
    assert count > 1
    _edit(pilot)
    assert db.session.scalar(select(generation.ContentGeneration.token)) is not None
    text_of(client, url)
    assert_cached(client.application, url)
