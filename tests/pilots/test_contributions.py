"""Higher domains add page sections and frozen values to a pilot through its extension points,
without pilots importing them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.pilots import contributions, history
from tests.factories import create_council, create_pilot, create_registered_pilot


@pytest.fixture
def registry(app_ctx, monkeypatch):
    """A copy of the app's contributions, so a test's registrations end with it."""
    mine = replace(contributions._of(app_ctx))
    mine.sections = {slot: list(found) for slot, found in mine.sections.items()}
    mine.snapshot = dict(mine.snapshot)
    monkeypatch.setitem(app_ctx.extensions, "pilots.contributions", mine)
    return app_ctx


def test_a_page_section_is_shown_only_where_it_has_something(registry):
    council = create_council()
    shown, empty = create_pilot(council, title="Shown"), create_pilot(council, title="Empty")
    contributions.add_page_section(
        registry,
        "sidebar",
        "tests/section.html",
        lambda pilot: {"word": pilot.title} if pilot.title == "Shown" else None,
    )
    assert contributions.page_sections(shown, "sidebar")[-1] == (
        "tests/section.html",
        {"word": "Shown"},
    )
    assert ("tests/section.html", {"word": "Empty"}) not in contributions.page_sections(
        empty, "sidebar"
    )


def test_a_section_for_a_slot_the_page_lacks_is_refused(registry):
    with pytest.raises(ValueError, match="no slot 'footer'"):
        contributions.add_page_section(registry, "footer", "x.html", lambda pilot: {})


def test_a_contributed_value_is_frozen_and_its_change_outside_an_amendment_shows(registry):
    business_case = {"hash": "a" * 64}
    contributions.add_snapshot_contributor(registry, "business_case", lambda p: business_case)
    pilot = create_registered_pilot(create_council())
    [registered] = history.versions_of(pilot)
    assert registered.snapshot["business_case"] == {"hash": "a" * 64}
    assert history.verify_chain() == []

    business_case["hash"] = "b" * 64  # changed around an amendment
    [broken] = history.verify_chain()
    assert "business_case" in str(broken)


def test_pilots_registered_before_a_contributor_existed_still_verify(registry):
    pilot = create_registered_pilot(create_council())
    contributions.add_snapshot_contributor(registry, "example", lambda p: None)
    assert history.versions_of(pilot)[0].snapshot.get("example") is None
    assert history.verify_chain() == []


def test_a_snapshot_key_is_taken_once(registry):
    contributions.add_snapshot_contributor(registry, "example", lambda p: None)
    with pytest.raises(ValueError, match="taken"):
        contributions.add_snapshot_contributor(registry, "example", lambda p: 1)
