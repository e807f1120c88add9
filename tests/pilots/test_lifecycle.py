from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.pilots import lifecycle
from app.pilots.events import events_for_pilot
from app.pilots.models import PilotVersion
from tests.factories import (
    create_measure,
    create_pilot,
    create_registered_pilot,
    create_user,
    reload_pilot,
)

TODAY = date(2026, 3, 2)
# "Mark as started" asks for the day it started: within the factory pilot's planned dates.
STARTED = {"started_on": ["2", "1", "2026"]}


def test_registering_needs_a_primary_measure(council, editor):
    draft = create_pilot(council, status="draft")
    create_measure(draft, kind="secondary")
    with pytest.raises(lifecycle.TransitionError, match="primary success measure"):
        lifecycle.register_pilot(draft, editor, TODAY)
    assert reload_pilot(draft).status == "draft"
    create_measure(draft)
    lifecycle.register_pilot(draft, editor, TODAY)
    pilot = reload_pilot(draft)
    assert pilot.status == "registered"
    version = db.session.scalar(select(PilotVersion).where(PilotVersion.pilot_id == pilot.id))
    assert version.number == "1.0" and version.prev_hash is None
    assert version.snapshot["hypothesis"] == pilot.hypothesis
    assert [m["name"] for m in version.snapshot["measures"]] == ["Share of calls resolved online"]


def test_registration_page_explains_what_is_missing(client, council, editor, sign_in):
    sign_in(editor)
    draft = create_pilot(council, status="draft")
    page = client.get(f"/pilots/{draft.slug}").get_data(as_text=True)
    assert "Add at least one primary success measure before registering" in page
    client.post(f"/pilots/{draft.slug}/register")
    assert reload_pilot(draft).status == "draft"


@pytest.mark.parametrize(
    ("status", "action", "reason", "allowed", "after"),
    [
        ("registered", "start", "", True, "running"),
        ("running", "stop", "Money ran out", True, "stopped"),
        ("registered", "stop", "Supplier failed", True, "stopped"),
        ("registered", "withdraw", "No match funding", True, "withdrawn"),
        ("running", "withdraw", "Too late", False, None),
        ("running", "start", "", False, None),
        ("concluded", "stop", "Why not", False, None),
        ("stopped", "start", "", False, None),
        ("withdrawn", "start", "", False, None),
        ("draft", "start", "", False, None),
    ],
)
def test_only_allowed_transitions_succeed(
    client, council, editor, sign_in, status, action, reason, allowed, after
):
    sign_in(editor)
    pilot = create_pilot(council, status=status)
    response = client.post(f"/pilots/{pilot.slug}/{action}", data={"reason": reason, **STARTED})
    pilot = reload_pilot(pilot)
    if allowed:
        assert response.status_code == 302
        assert pilot.status == after
        event = events_for_pilot(pilot)[-1]
        assert event.kind == {"running": "started"}.get(after, after)
        assert event.actor_id == editor.id and event.at is not None
        if reason:
            assert pilot.status_reason == reason
    else:
        assert response.status_code == 400
        assert pilot.status == status
        assert events_for_pilot(pilot) == []


def test_stopping_needs_a_reason_and_changes_nothing_without_one(client, council, editor, sign_in):
    sign_in(editor)
    pilot = create_pilot(council, status="running")
    response = client.post(f"/pilots/{pilot.slug}/stop", data={"reason": "  "})
    assert response.status_code == 400
    assert "Give the reason" in response.get_data(as_text=True)
    assert reload_pilot(pilot).status == "running"


def test_withdrawn_pilot_stays_public_with_its_reason(client, council, editor, sign_in):
    sign_in(editor)
    pilot = create_registered_pilot(council)
    client.post(f"/pilots/{pilot.slug}/withdraw", data={"reason": "Match funding fell through"})
    sign_in(create_user())
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "withdrawn before it started" in page and "Match funding fell through" in page


def test_status_page_offers_only_allowed_actions(client, council, editor, sign_in):
    sign_in(editor)
    pilot = create_registered_pilot(council)
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Mark as started" in page and "Withdraw it" in page
    assert "Report the outcome" not in page
    client.post(f"/pilots/{pilot.slug}/start", data=STARTED)
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Mark as started" not in page and "Withdraw it" not in page
    assert "Report the outcome and conclude" in page and "Stop it early" in page


def test_registering_needs_an_evaluation_design(council, editor):
    draft = create_pilot(council, status="draft", evaluation_design=None)
    create_measure(draft)
    with pytest.raises(lifecycle.TransitionError, match="evaluation design"):
        lifecycle.register_pilot(draft, editor, TODAY)
    assert reload_pilot(draft).status == "draft"


def test_prospective_badge_cannot_be_changed_by_editing_the_start_date(council, editor):
    pilot = create_pilot(council, status="draft", start_date=date(2026, 1, 1))
    create_measure(pilot)
    lifecycle.register_pilot(pilot, editor, date(2026, 3, 1))
    assert lifecycle.is_prospective(pilot) is False
    pilot.start_date = date(2026, 6, 1)  # moved after registration, e.g. by an edit
    db.session.commit()
    assert lifecycle.is_prospective(pilot) is False


def test_registration_timing_is_recorded(council, editor):
    early = create_pilot(council, status="draft", start_date=date(2026, 4, 1))
    create_measure(early)
    lifecycle.register_pilot(early, editor, date(2026, 3, 1))
    late = create_pilot(council, status="draft", start_date=date(2026, 1, 1))
    create_measure(late)
    lifecycle.register_pilot(late, editor, date(2026, 3, 1))
    assert events_for_pilot(early)[-1].detail["timing"] == "prospective"
    assert events_for_pilot(late)[-1].detail["timing"] == "retrospective"


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        ("concluded", "stop", "A concluded pilot cannot be stopped"),
        ("running", "withdraw", "A running pilot cannot be withdrawn"),
        ("draft", "start", "A draft pilot cannot be started"),
        ("running", "explode", "There is no action 'explode'"),
    ],
)
def test_an_action_the_status_does_not_allow_is_refused_with_the_reason(
    council, status, action, message
):
    pilot = create_pilot(council, status=status)
    with pytest.raises(lifecycle.TransitionError, match=f"^{message}$"):
        lifecycle.check_action(pilot, action)
    lifecycle.check_action(create_pilot(council, status="registered"), "stop")  # allowed
