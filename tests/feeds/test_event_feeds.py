from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.pilots import lifecycle, service
from app.pilots.events import events_for_pilot, record_event
from tests.factories import create_council, create_measure, create_user
from tests.feeds.conftest import ALL_KINDS


def _draft(council, title: str):
    data = service.PilotData(
        title=title,
        hypothesis="We believe that texting reminders will cut missed collections.",
        lead_council=council,
        pillars=["inclusion"],
        start_date=date(2030, 1, 1),
        planned_end_date=date(2030, 6, 30),
        evaluation_design=2,
    )
    pilot = service.create_pilot(data, None)
    create_measure(pilot)  # registering needs a primary success measure
    return pilot


@pytest.fixture
def story(app_ctx):
    """One pilot registered, started and concluded as proved; another registered; a draft."""
    council = create_council(code="LIF", nice_name="Lifeton")
    editor = create_user("editor", council)
    first = lifecycle.register_pilot(_draft(council, "Bin reminders"), editor, date(2029, 1, 1))
    record_event(first, "started", editor, "Started")
    db.session.commit()
    record_event(first, "concluded", editor, "Reported the outcome", verdict="proved")
    first.status, first.verdict = "concluded", "proved"
    db.session.commit()
    second = lifecycle.register_pilot(_draft(council, "Parking app"), editor, date(2029, 1, 1))
    _draft(council, "Quiet draft")
    return {"first": first, "second": second}


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_events_feed_lists_public_lifecycle_events_newest_first(fetch, story, kind):
    feed = fetch(f"/feeds/events.{kind}")
    assert feed.feed.title == "Pilot lifecycle events — Proving Ground"
    assert [e.title for e in feed.entries] == [
        "Registered: Parking app",
        "Concluded: Bin reminders",
        "Started: Bin reminders",
        "Registered: Bin reminders",
    ]
    assert feed.entries[1].summary == "Concluded: proved — Bin reminders"
    assert "Quiet draft" not in str(feed) and "Draft created" not in str(feed)
    assert len({e.id for e in feed.entries}) == 4
    assert all(e.link.startswith("http://localhost/pilots/") for e in feed.entries)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_a_pilots_own_events_feed(fetch, story, kind):
    first = story["first"]
    feed = fetch(f"/feeds/pilots/{first.slug}/events.{kind}")
    assert feed.feed.title == "Events for Bin reminders — Proving Ground"
    assert [e.title.split(":")[0] for e in feed.entries] == ["Concluded", "Started", "Registered"]
    public = [e for e in events_for_pilot(first) if e.kind != "created"]
    assert [e.id for e in feed.entries] == [
        f"tag:localhost,{e.at:%Y-%m-%d}:pilot/{first.id}/event/{e.id}" for e in reversed(public)
    ]


def test_event_ids_come_from_the_event_rows_and_survive_edits(fetch, story):
    before = [e.id for e in fetch("/feeds/events.atom").entries]
    assert all(e.startswith("tag:localhost,") and "/event/" in e for e in before)
    pilot = story["second"]
    data = service.PilotData(
        title="Parking app, renamed", hypothesis=pilot.hypothesis,
        lead_council=pilot.lead_council, pillars=pilot.pillars,
    )  # fmt: skip
    service.update_pilot(pilot, data, None)
    after = fetch("/feeds/events.atom").entries
    assert [e.id for e in after] == before
    assert after[0].title == "Registered: Parking app, renamed"
