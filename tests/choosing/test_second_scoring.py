"""A second (Delphi) scoring: scorers see the first scoring's distribution without names and
re-score; both scorings are kept and set side by side. And scores are private writes: saving
one leaves the page cache alone, while closing the round empties it."""

from __future__ import annotations

import json
from typing import Any

from app.auth.models import User
from app.choosing import lifecycle, scoring
from app.choosing.models import Round
from app.common.caching import generation
from app.councils.models import Council
from app.extensions import db
from tests.factories import create_round


def scores_form(round_: Round, value: int) -> dict[str, str]:
    criterion = round_.criteria[0]
    return {
        f"score-{link.idea_id}-{criterion.id}": str(value + n)
        for n, link in enumerate(round_.idea_links)
    }


def test_a_second_scoring_shows_the_first_without_names_and_keeps_both(
    client: Any, sign_in: Any, council: Council, council_admin: User, panel: list[User]
) -> None:
    round_ = create_round(council, "closed", panel=panel, anonymous=True)
    sign_in(council_admin)
    client.post(f"/rounds/{round_.id}/status", data={"to": "rescoring"})
    db.session.expire_all()
    assert db.session.get(Round, round_.id).status == "rescoring"

    sign_in(panel[0])
    page = client.get(f"/rounds/{round_.id}/scores").get_data(as_text=True)
    assert "how many gave 1, 2, 3, 4, 5" in page
    assert all(u.display_name not in page for u in panel[1:])
    round_ = db.session.get(Round, round_.id)
    response = client.post(f"/rounds/{round_.id}/scores", data=scores_form(round_, 4))
    assert response.status_code == 302
    # The others keep their first scores, carried into the second scoring.
    sign_in(council_admin)
    client.post(f"/rounds/{round_.id}/status", data={"to": "closed"})

    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "Result of the second scoring" in page and "Both scorings" in page
    document = json.loads(client.get(f"/rounds/{round_.id}.json").get_data(as_text=True))
    assert {s["scoring"] for s in document["scores"]} == {1, 2}
    assert {s["scorer"] for s in document["scores"]} == {"Scorer A", "Scorer B", "Scorer C"}
    assert all(u.display_name not in json.dumps(document["scores"]) for u in panel)
    assert document["first_scoring_result"] is not None
    assert len([s for s in document["scores"] if s["scoring"] == 2]) == 3 * 2
    # Only one second scoring.
    client.post(f"/rounds/{round_.id}/status", data={"to": "rescoring"})
    db.session.expire_all()
    assert db.session.get(Round, round_.id).status == "closed"


def test_a_score_leaves_the_page_cache_alone_and_closing_empties_it(
    app_ctx: Any, council: Council, council_admin: User, panel: list[User]
) -> None:
    round_ = create_round(council, "scoring", panel=panel)
    before = generation.current_generation()
    for user in panel:
        entered = {
            (link.idea_id, c.id): scoring.EnteredScore("3")
            for link in round_.idea_links
            for c in round_.criteria
        }
        scoring.save_scores(round_, user, entered)
        scoring.declare_interest(round_, user, None, "A neighbour of the site")
    assert generation.current_generation() == before
    lifecycle.move_round(round_, "closed", council_admin)
    assert generation.current_generation() != before
