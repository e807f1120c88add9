"""The rounds' moments the priorities feeds list: opened, closed, decided; never a draft."""

from __future__ import annotations

from typing import Any

from app.choosing.feed_entries import round_feed_entries, rounds_changed_at
from app.common.db_types import utcnow
from app.extensions import db
from tests.factories import create_council, create_round


def test_a_round_is_in_the_feed_from_its_opening_to_its_decision(app_ctx: Any) -> None:
    council = create_council(code="AAA", nice_name="Alphaton")
    other = create_council(code="BBB", nice_name="Betaford")
    create_round(council, "draft", title="Still a draft")
    opened = create_round(council, "open", title="Opened")
    decided = create_round(other, "closed", title="Decided")
    decided.status, decided.decided_at = "decided", utcnow()
    decided.meeting, decided.minute_reference = "Cabinet", "C/1"
    db.session.commit()

    entries = round_feed_entries()
    assert {(e.title, e.kind) for e in entries} == {
        ("Round opened: Opened", "opened"),
        ("Round opened: Decided", "opened"),
        ("Round closed: Decided", "closed"),
        ("Round decided: Decided", "decided"),
    }
    assert entries[0].kind == "decided" and entries[0].path == f"/rounds/{decided.id}"
    assert [e.title for e in round_feed_entries("aaa")] == ["Round opened: Opened"]
    assert rounds_changed_at("AAA") == opened.opened_at
    assert len({e.entry_id for e in entries}) == len(entries)
