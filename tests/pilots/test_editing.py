"""editing.save_pilot: what the form and any other caller are told when a pilot cannot be saved."""

from __future__ import annotations

from datetime import date

import pytest

from app.pilots.editing import PilotInput, PilotRulesError, save_pilot
from tests.factories import create_council, create_pilot, reload_pilot


def entered(**details: object) -> PilotInput:
    values: dict[str, object] = {
        "title": "Chatbot for missed bins",
        "hypothesis": "We believe a chatbot will cut calls.",
        "pillars": ["inclusion"],
        "start_date": date(2026, 4, 1),
        "planned_end_date": date(2026, 9, 30),
    }
    values.update(details)
    return PilotInput(lead_council="AAA", details=values)


def test_a_new_draft_is_saved_for_the_lead_council(council, editor):
    pilot = save_pilot(entered(), editor)
    assert (pilot.status, pilot.lead_council.code, pilot.created_by_id) == (
        "draft",
        "AAA",
        editor.id,
    )


def test_an_unknown_partner_council_is_named(council, editor):
    with pytest.raises(PilotRulesError) as refused:
        save_pilot(PilotInput("AAA", partners=["zzz", "BBB"], details=entered().details), editor)
    assert refused.value.errors == {"partners": "There is no council with code ZZZ, BBB"}


def test_a_pilot_cannot_replicate_one_that_is_not_public(council, editor):
    draft = create_pilot(council, status="draft")
    with pytest.raises(PilotRulesError) as refused:
        save_pilot(PilotInput("AAA", replicates=draft.slug, details=entered().details), editor)
    assert refused.value.errors == {
        "replicates": f"There is no public pilot with the address {draft.slug!r}"
    }


def test_replicating_needs_to_say_how(council, editor):
    earlier = create_pilot(create_council(), status="concluded", verdict="proved")
    with pytest.raises(PilotRulesError) as refused:
        save_pilot(PilotInput("AAA", replicates=earlier.slug, details=entered().details), editor)
    assert refused.value.errors == {
        "replication_kind": "Say whether it replicates or adapts that pilot"
    }


def test_frozen_fields_keep_their_registered_values(council, editor):
    pilot = create_pilot(council, status="registered", hypothesis="The registered hypothesis.")
    save_pilot(entered(hypothesis="Rewritten", title="A new title"), editor, pilot)
    saved = reload_pilot(pilot)
    assert (saved.title, saved.hypothesis) == ("A new title", "The registered hypothesis.")
    assert saved.planned_end_date == date(2026, 6, 30)  # as registered, not as sent


def test_a_start_after_the_frozen_end_is_reported_on_the_start_date(council, editor):
    pilot = create_pilot(council, status="registered", planned_end_date=date(2026, 6, 30))
    with pytest.raises(PilotRulesError) as refused:
        save_pilot(entered(start_date=date(2026, 7, 1)), editor, pilot)
    assert refused.value.errors == {
        "start_date": "The start date must be on or before the planned end date, 30 June 2026, "
        "which is frozen: amend it to change it"
    }


@pytest.mark.parametrize("title", ["New", "new!", "  NEW  "])
def test_a_pilot_titled_like_a_route_word_gets_a_slug_its_page_can_use(
    client, council, signed_in_editor, title
):
    first = save_pilot(entered(title=title), signed_in_editor)
    second = save_pilot(entered(title=title), signed_in_editor)
    assert first.slug == "new-pilot" and second.slug == "new-pilot-2"
    page = client.get(f"/pilots/{first.slug}")
    assert page.status_code == 200
    assert title.strip() in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("details", "errors"),
    [
        ({"planned_end_date": date(9999, 12, 31)}, {"planned_end_date": "Use a year between"}),
        ({"planned_cost_pence": 1_000_000_000_01}, {"planned_cost_pence": "no more than £1,00"}),
        ({"location": "x" * 201}, {"location": "201 characters; the most is 200"}),
        ({"title": "A \u202etitle"}, {"title": "Remove the control characters"}),
        ({"tags": ["t" * 61]}, {"tags": "Each tag must be 60 characters or fewer"}),
        ({"location_gss": "E0500938800"}, {"location_gss": "a letter and 8 digits"}),
    ],
)
def test_the_rules_every_way_in_shares_hold_for_any_caller(council, editor, details, errors):
    """The form says these first; the API and any other caller of save_pilot meet them too."""
    with pytest.raises(PilotRulesError) as refused:
        save_pilot(entered(**details), editor)
    assert refused.value.errors.keys() == errors.keys()
    for name, message in errors.items():
        assert message in refused.value.errors[name]
