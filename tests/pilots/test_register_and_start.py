"""Registering shows what will be frozen before it is done; marking as started asks the day it
actually started, which becomes the start date the registration tag and the outcome report
follow."""

from __future__ import annotations

from datetime import date, timedelta

from app.common.db_types import utcnow
from app.pilots import lifecycle
from app.pilots.events import events_for_pilot
from tests.factories import create_measure, create_pilot, reload_pilot
from tests.pilots.test_results import results_form


def boxes(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def test_registering_is_checked_on_a_page_showing_what_will_be_frozen(
    client, council, signed_in_editor
):
    draft = create_pilot(council, status="draft", planned_end_date=date(2027, 3, 31))
    create_measure(draft, name="Calls resolved online")
    create_measure(draft, name="Staff morale", kind="secondary")
    page = client.get(f"/pilots/{draft.slug}").get_data(as_text=True)
    assert f'href="/pilots/{draft.slug}/register"' in page  # a link to the check, not a post

    check = client.get(f"/pilots/{draft.slug}/register").get_data(as_text=True)
    assert "Check before you register" in check
    assert draft.hypothesis in check and "31 March 2027" in check
    assert "Calls resolved online" in check and "Staff morale" not in check
    assert "Level 2: with a comparison or controls" in check
    assert reload_pilot(draft).status == "draft"  # looking changes nothing

    response = client.post(f"/pilots/{draft.slug}/register")
    assert response.status_code == 302
    assert reload_pilot(draft).status == "registered"


def test_the_check_page_lists_what_is_missing_and_offers_no_button(
    client, council, signed_in_editor
):
    draft = create_pilot(council, status="draft")
    page = client.get(f"/pilots/{draft.slug}/register").get_data(as_text=True)
    assert "Add at least one primary success measure before registering" in page
    assert "Register this pilot" not in page


def test_mark_as_started_asks_the_date_with_today_filled_in(client, council, signed_in_editor):
    today = utcnow().date()
    pilot = create_pilot(council, status="registered", planned_end_date=today + timedelta(90))
    page = client.get(f"/pilots/{pilot.slug}/start").get_data(as_text=True)
    assert "When did the pilot start?" in page
    assert f'value="{today:%d}"' in page and f'value="{today.year}"' in page
    started = today - timedelta(days=3)
    response = client.post(f"/pilots/{pilot.slug}/start", data={"started_on": boxes(started)})
    assert response.status_code == 302
    pilot = reload_pilot(pilot)
    assert (pilot.status, pilot.start_date) == ("running", started)
    assert events_for_pilot(pilot)[-1].detail["started_on"] == started.isoformat()


def test_a_start_in_the_future_is_refused_and_changes_nothing(client, council, signed_in_editor):
    today = utcnow().date()
    pilot = create_pilot(council, status="registered", planned_end_date=today + timedelta(90))
    response = client.post(
        f"/pilots/{pilot.slug}/start", data={"started_on": boxes(today + timedelta(days=1))}
    )
    assert response.status_code == 400
    assert "The date it started cannot be in the future" in response.get_data(as_text=True)
    assert reload_pilot(pilot).status == "registered"
    assert events_for_pilot(pilot) == []


def test_the_registration_tag_follows_the_actual_start(council, editor):
    """Registered before its planned start: "before it started". It then actually started nine
    days before it was registered: "after it started", whatever the start date is edited to."""
    pilot = create_pilot(
        council, status="draft", start_date=date(2026, 4, 1), planned_end_date=date(2099, 1, 1)
    )
    create_measure(pilot)
    lifecycle.register_pilot(pilot, editor, date(2026, 3, 1))
    registered = events_for_pilot(pilot)[-1]
    registered_on = registered.at.date()
    assert lifecycle.is_prospective(pilot) is True
    lifecycle.change_status(
        pilot, "start", editor, registered_on, started_on=registered_on - timedelta(days=9)
    )
    assert lifecycle.is_prospective(pilot) is False
    pilot.start_date = registered_on + timedelta(days=30)  # an edit afterwards changes nothing
    assert lifecycle.is_prospective(pilot) is False


def test_a_pilot_planned_to_start_later_but_started_today_can_conclude(
    client, council, signed_in_editor
):
    """Concluding used to fail: the planned start (in the future) was after the end date."""
    today = utcnow().date()
    pilot = create_pilot(
        council,
        status="registered",
        start_date=today + timedelta(days=60),
        planned_end_date=today + timedelta(days=200),
    )
    create_measure(pilot)
    client.post(f"/pilots/{pilot.slug}/start", data={"started_on": boxes(today)})
    data = results_form(pilot, "85", verdict="proved")
    first = next(key for key in data if key.startswith("on_"))
    data.update({first: boxes(today), "actual_end_date": boxes(today)})
    response = client.post(f"/pilots/{pilot.slug}/results", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert reload_pilot(pilot).status == "concluded"
