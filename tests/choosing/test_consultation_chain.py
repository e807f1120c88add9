"""The chain's first link through the web pages: residents said → members scored → council
chose → pilot. Ideas are put to residents in a consultation answered online and on paper and
closed; a round takes its counts as evidence, scores the ideas and the council chooses one; the
idea page links to its consultation and round, the council page to its priorities, and the pilot
page's "How it was chosen" shows the residents' priorities it answered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.auth.models import User
from app.choosing.models import Idea, Round
from app.choosing.models.consultations import Consultation
from app.common.db_types import utcnow
from app.councils.models import Council
from app.extensions import db
from tests.choosing.conftest import CRITERIA, created_id
from tests.choosing.test_round_chain import SCORES, new_idea, score_all


def consult_residents(client: Any, app_ctx: Any, sign_in: Any, editor: User, ids: list[int]) -> int:
    """The editor puts the ideas to residents; two answer online, one on paper; then it closes."""
    sign_in(editor)
    closes = utcnow().date() + timedelta(days=7)
    response = client.post(
        "/councils/aaa/consultations/new",
        data={"question": "Which should we try first?", "ideas": [str(i) for i in ids],
              "answer_mode": "pick", "max_choices": "1",
              "closes_on": [str(closes.day), str(closes.month), str(closes.year)]},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    consultation_id = created_id(response, "consultations")
    assert client.post(f"/consultations/{consultation_id}/open").status_code == 302
    assert all(db.session.get(Idea, i).is_published for i in ids)
    options = {o.idea_id: o.id for o in db.session.get(Consultation, consultation_id).options}
    for resident, idea in enumerate((ids[1], ids[1])):
        browser = app_ctx.test_client()
        answered = browser.post(
            f"/consultations/{consultation_id}/answer", data={"choices": options[idea]}
        )
        assert answered.status_code == 302, resident
    paper = client.post(
        f"/consultations/{consultation_id}/answers/new",
        data={"channel": "paper", "choices": options[ids[0]]},
    )
    assert paper.status_code == 302
    assert client.post(f"/consultations/{consultation_id}/close").status_code == 302
    return consultation_id


def test_residents_said_members_scored_council_chose_pilot_ran(
    app_ctx: Any, client: Any, sign_in: Any, council: Council, editor: User,
    council_admin: User, panel: list[User],
) -> None:  # fmt: skip
    sign_in(editor)
    ids = [new_idea(client, t) for t in ("Library chatbot", "Pothole reporting", "Care finder")]
    consultation_id = consult_residents(client, app_ctx, sign_in, editor, ids)
    results = client.get(f"/consultations/{consultation_id}").get_data(as_text=True)
    assert 'data-answers="3"' in results

    sign_in(council_admin)
    response = client.post(
        "/rounds/new",
        data={"council": "AAA", "title": "What to try in 2027", "ideas": ids,
              "criteria": CRITERIA, "panel": "\n".join(u.email for u in panel),
              "consultations": [consultation_id]},
    )  # fmt: skip
    round_id = created_id(response, "rounds")
    round_page = client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "3 answers, counted when the consultation closed." in round_page
    for to in ("open", "scoring"):
        assert client.post(f"/rounds/{round_id}/status", data={"to": to}).status_code == 302
    for user in panel:
        sign_in(user)
        scored = score_all(client, db.session.get(Round, round_id), SCORES[user.name[11:]])
        assert scored.status_code == 302
    sign_in(council_admin)
    client.post(f"/rounds/{round_id}/status", data={"to": "closed"})
    decided = client.post(
        f"/rounds/{round_id}/decision",
        data={"first": str(ids[1]), "meeting": "Cabinet, 14 October 2026",
              "minute_reference": "C/42", "departure_reason": "Residents chose it"},
    )  # fmt: skip
    assert decided.status_code == 302, decided.get_data(as_text=True)

    db.session.expire_all()
    pilot = db.session.get(Idea, ids[1]).pilot
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    chosen = page.split("How it was chosen", 1)[1].split("<h2", 1)[0]
    assert "priorities it answered" in chosen
    assert f"/consultations/{consultation_id}" in chosen
    assert "chosen in 2 of 3 answers" in chosen
    assert f"/ideas/{ids[1]}" in chosen and f"/rounds/{round_id}" in chosen

    idea_page = client.get(f"/ideas/{ids[1]}").get_data(as_text=True)
    assert f'href="/consultations/{consultation_id}"' in idea_page
    assert f'href="/rounds/{round_id}"' in idea_page
    council_page = client.get("/councils/aaa").get_data(as_text=True)
    assert 'href="/councils/aaa/priorities"' in council_page
