from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.pilots.models import Pilot
from tests.factories import create_pilot, create_user

# VALID names BBB as a partner.
pytestmark = pytest.mark.usefixtures("partner_council")

VALID = {
    "title": "Chatbot for missed bins",
    "lead_council": "AAA",
    "summary": "A chatbot answers missed-bin reports.",
    "hypothesis": (
        "We believe that a chatbot will result in fewer calls. We will know when we see 20% fewer."
    ),
    "pillars": ["developing-solutions", "inclusion"],
    "planned_cost": "£12,500",
    "start_date": ["1", "4", "2026"],
    "planned_end_date": ["30", "9", "2026"],
    "partners": "BBB",
    "tags": "chatbot, waste",
}


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Pilot)) or 0


def test_editor_creates_a_draft(client, signed_in_editor):
    response = client.post("/pilots/new", data=VALID)
    assert response.status_code == 302, response.get_data(as_text=True)
    pilot = db.session.scalar(select(Pilot))
    assert pilot.status == "draft"
    assert pilot.slug == "chatbot-for-missed-bins"
    assert pilot.planned_cost_pence == 1_250_000
    assert [c.code for c in pilot.partners] == ["BBB"]
    assert pilot.tags == ["chatbot", "waste"]
    assert pilot.created_by_id == signed_in_editor.id
    assert str(pilot.start_date) == "2026-04-01"


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}-error"[^>]*>\s*<span[^>]*>Error:</span>\s*([^<]+)', html)
    assert match, f"no error shown for {field_id}"
    return match.group(1).strip()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title"),
        ({"title": "x" * 141}, "title", "140 characters or fewer"),
        ({"hypothesis": ""}, "hypothesis", "Enter the hypothesis"),
        ({"summary": ""}, "summary", "Enter a summary"),
        ({"pillars": []}, "pillars", "Choose at least one pillar"),
        ({"pillars": ["robots"]}, "pillars", "Choose pillars from the six listed"),
        ({"planned_cost": "lots"}, "planned_cost", "amount in pounds"),
        ({"start_date": ["31", "2", "2026"]}, "start_date", "must be a real date"),
        ({"start_date": ["", "2", "2026"]}, "start_date", "must include a day"),
        (
            {"planned_end_date": ["1", "1", "2026"]},
            "planned_end_date",
            "on or after the start date",
        ),
        ({"partners": "QQQ"}, "partners", "Choose each partner council from the list"),
        ({"partners": "AAA"}, "partners", "cannot also be a partner"),
        ({"partners": ["BBB", "12"]}, "partners", "Choose each partner council from the list"),
        ({"lead_council": "BBB"}, "lead_council", "Choose a council you publish for"),
        ({"location_gss": "E123"}, "location_gss", "letter and 8 digits"),
        ({"latitude": "north"}, "latitude", "must be a number"),
        ({"longitude": "40"}, "longitude", "between"),
    ],
)
def test_each_validation_error_is_shown_against_its_field(
    client, signed_in_editor, changes, field, message
):
    response = client.post("/pilots/new", data={**VALID, **changes})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert message in field_error(html, field)
    assert f'href="#{field}' in html
    assert count() == 0


def test_form_keeps_what_was_typed(client, signed_in_editor):
    html = client.post("/pilots/new", data={**VALID, "title": ""}).get_data(as_text=True)
    assert "A chatbot answers missed-bin reports." in html
    assert 'value="£12,500"' in html


def test_public_cannot_create_or_edit(client, council):
    pilot = create_pilot(council)
    assert client.get("/pilots/new").status_code == 302
    assert client.post("/pilots/new", data=VALID).status_code == 302
    assert client.post(f"/pilots/{pilot.slug}/edit", data=VALID).status_code == 302
    assert count() == 1


def test_other_councils_editor_gets_403(client, council, partner_council, sign_in):
    pilot = create_pilot(council)
    sign_in(create_user("editor", partner_council))
    assert client.get(f"/pilots/{pilot.slug}/edit").status_code == 403
    assert client.post(f"/pilots/{pilot.slug}/edit", data=VALID).status_code == 403
    assert client.post(f"/pilots/{pilot.slug}/register").status_code == 403


def test_frozen_fields_cannot_be_changed_by_a_crafted_edit(client, council, signed_in_editor):
    pilot = create_pilot(council, status="registered", hypothesis="Original hypothesis.")
    original_end = pilot.planned_end_date
    response = client.post(
        f"/pilots/{pilot.slug}/edit",
        data={
            **VALID,
            "hypothesis": "Rewritten after the fact",
            "planned_end_date": ["1", "1", "2030"],
            "status": "concluded",
            "verdict": "proved",
            "slug": "hijack",
            "created_by_id": "999",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Pilot, pilot.id)
    assert saved.hypothesis == "Original hypothesis."
    assert saved.planned_end_date == original_end
    assert saved.status == "registered" and saved.verdict is None
    assert saved.slug == pilot.slug
    assert saved.title == VALID["title"]


def test_edit_form_shows_frozen_fields_as_text(client, council, signed_in_editor):
    pilot = create_pilot(council, status="registered")
    html = client.get(f"/pilots/{pilot.slug}/edit").get_data(as_text=True)
    assert "Hypothesis (frozen)" in html
    assert 'name="hypothesis"' not in html


def test_register_refuses_incomplete_draft(client, council, signed_in_editor):
    draft = create_pilot(council, status="draft", planned_end_date=None)
    response = client.post(f"/pilots/{draft.slug}/register", follow_redirects=True)
    assert "Enter the planned end date before registering" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Pilot, draft.id).status == "draft"


def test_edit_form_opens_for_a_pilot_that_replicates_another(client, council, signed_in_editor):
    earlier = create_pilot(council, title="The original", status="concluded", verdict="proved")
    copy = create_pilot(council, title="The copy", replicates=earlier, replication_kind="adapts")
    response = client.get(f"/pilots/{copy.slug}/edit")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'value="{earlier.slug}"' in html


def test_an_ended_pilots_dates_stay_put(client, council, signed_in_editor):
    pilot = create_pilot(
        council, status="concluded", verdict="proved", actual_end_date=date(2026, 5, 1)
    )
    response = client.post(
        f"/pilots/{pilot.slug}/edit",
        data={**VALID, "start_date": ["1", "1", "2020"], "actual_end_date": ["1", "1", "2030"]},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Pilot, pilot.id)
    assert (saved.start_date, saved.actual_end_date) == (date(2026, 1, 1), date(2026, 5, 1))


def test_start_after_a_frozen_end_is_explained_on_the_start_date(client, council, signed_in_editor):
    pilot = create_pilot(council, status="registered", planned_end_date=date(2026, 6, 30))
    response = client.post(
        f"/pilots/{pilot.slug}/edit", data={**VALID, "start_date": ["1", "9", "2026"]}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "which is frozen: amend it to change it" in field_error(html, "start_date")
    assert 'href="#planned_end_date' not in html


# The longest text each field of the pilot form takes, in the widest characters a person can
# type: 4 bytes in UTF-8, 12 once percent-encoded.
WIDEST = "\U0001f600"
LONGEST = {
    "title": 140,
    "summary": 1000,
    "problem": 5000,
    "hypothesis": 3000,
    "approach": 5000,
    "offline_access": 3000,
    "location": 200,
    "case_study": 100_000,
}


def test_the_largest_pilot_form_a_person_can_send_is_accepted(client, signed_in_editor):
    fields = {**VALID, **{name: WIDEST * length for name, length in LONGEST.items()}}
    body = urlencode(fields, doseq=True)
    assert len(body) > 1024 * 1024  # more than the old body limit
    assert len(body) < client.application.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/pilots/new", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert db.session.scalar(select(Pilot.case_study)) == WIDEST * 100_000


def test_an_over_long_case_study_is_explained_and_kept_in_the_form(client, signed_in_editor):
    case_study = WIDEST * 150_000
    response = client.post("/pilots/new", data={**VALID, "case_study": case_study})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The case study must be 100,000 characters or fewer" in page
    assert case_study in page  # nothing typed is lost
    assert count() == 0
