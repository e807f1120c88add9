"""The demo's ideas and rounds: Hertfordshire's round decided with a declaration, a second
scoring and a departure from the ranking, its chosen idea a running pilot whose page links back;
Kensington and Chelsea's round scoring, with three panel members to sign in as."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.choosing.models import Declaration, Idea, Round, Score
from app.choosing.results import published_result
from app.content.demo import load_demo
from app.extensions import db


def test_the_demo_rounds_tell_the_whole_story_and_load_twice_without_change(client: Any) -> None:
    load_demo()
    rounds = {(r.council.code, r.status): r for r in db.session.scalars(select(Round))}
    assert set(rounds) == {
        ("HRT", "decided"),
        ("KEC", "scoring"),
        ("WBK", "draft"),
        ("WBK", "closed"),
    }
    decided = rounds["HRT", "decided"]
    assert decided.status == "decided" and decided.scoring == 2
    assert decided.departure_reason and decided.minute_reference == "CAB/2026/118"
    ranking = [r.idea for r in published_result(decided).result.ideas]
    assert decided.chosen_idea_ids[0] != ranking[0]
    chosen = db.session.get(Idea, decided.chosen_idea_ids[0])
    assert chosen.pilot is not None and chosen.pilot.status == "running"
    assert db.session.scalar(select(func.count()).where(Declaration.round_id == decided.id))
    page = client.get(f"/pilots/{chosen.pilot.slug}").get_data(as_text=True)
    assert f"/rounds/{decided.id}" in page and f"/ideas/{chosen.id}" in page

    scoring = rounds["KEC", "scoring"]
    assert scoring.status == "scoring" and len(scoring.panel) >= 3
    assert all(len(r.panel) >= 3 for r in rounds.values())

    counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (Idea, Round, Score)]
    load_demo()
    again = [db.session.scalar(select(func.count()).select_from(m)) for m in (Idea, Round, Score)]
    assert again == counts
