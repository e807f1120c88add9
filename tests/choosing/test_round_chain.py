"""The whole chain through the web pages: an idea, a round opened, scored by three, closed,
decided, the idea made a pilot, and the pilot page showing where it came from."""

from __future__ import annotations

import json
from typing import Any

from app.auth.models import User
from app.choosing.models import Idea, Round
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import Pilot
from tests.choosing.conftest import CRITERIA, created_id

# Each scorer's scores: idea → (resident need, cost as written, 1 = cheapest).
SCORES = {
    "Ash": {"Library chatbot": (5, 2), "Pothole reporting": (3, 3), "Care finder": (4, 4)},
    "Birch": {"Library chatbot": (4, 1), "Pothole reporting": (4, 2), "Care finder": (5, 5)},
    "Cedar": {"Library chatbot": (5, 3), "Pothole reporting": (2, 2), "Care finder": (3, 4)},
}


def new_idea(client: Any, title: str) -> int:
    response = client.post(
        "/ideas/new",
        data={"council": "AAA", "title": title, "need": f"Residents need {title.lower()}",
              "raised_by": "member", "cost_band": "10k-50k", "pillars": ["understanding-needs"]},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    return created_id(response, "ideas")


def score_all(client: Any, round_: Round, scores: dict[str, tuple[int, int]]) -> Any:
    need, cost = round_.criteria
    data = {}
    for link in round_.idea_links:
        values = scores[link.idea.title]
        data[f"score-{link.idea_id}-{need.id}"] = str(values[0])
        data[f"score-{link.idea_id}-{cost.id}"] = str(values[1])
        data[f"reason-{link.idea_id}-{need.id}"] = "as I see it"
    return client.post(f"/rounds/{round_.id}/scores", data=data)


def test_an_idea_goes_through_a_round_to_a_pilot(
    client: Any, sign_in: Any, council: Council, editor: User, council_admin: User,
    panel: list[User],
) -> None:  # fmt: skip
    sign_in(editor)
    ids = [new_idea(client, t) for t in ("Library chatbot", "Pothole reporting", "Care finder")]
    assert "Not published" in client.get(f"/ideas/{ids[0]}").get_data(as_text=True)
    client.get("/auth/sign-out")

    sign_in(council_admin)
    response = client.post(
        "/rounds/new",
        data={"council": "AAA", "title": "What to try in 2027", "ideas": ids,
              "criteria": CRITERIA, "panel": "\n".join(u.email for u in panel)},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    round_id = created_id(response, "rounds")
    page = client.get(f"/rounds/{round_id}", follow_redirects=True).get_data(as_text=True)
    assert "weights normalised" in page  # 3 + 1 do not sum to 1
    assert client.post(f"/rounds/{round_id}/status", data={"to": "open"}).status_code == 302
    round_ = db.session.get(Round, round_id)
    assert round_.status == "open" and len(round_.config_hash) == 64
    assert round_.config_hash in client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert all(db.session.get(Idea, i).is_published for i in ids)
    client.post(f"/rounds/{round_id}/status", data={"to": "scoring"})

    for user in panel:
        sign_in(user)
        if user.name == "Councillor Ash":
            client.post(
                f"/rounds/{round_id}/declarations",
                data={"idea": str(ids[1]), "text": "Ward councillor for the roads in question"},
            )
        response = score_all(client, db.session.get(Round, round_id), SCORES[user.name[11:]])
        assert response.status_code == 302, response.get_data(as_text=True)

    sign_in(council_admin)
    client.post(f"/rounds/{round_id}/status", data={"to": "closed"})
    page = client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "Kendall" in page and "Ward councillor for the roads in question" in page
    assert "<svg" in page

    # Weighted (need 0.75, cost 0.25 turned round): the chatbot 4.50, the care finder 3.42,
    # pothole reporting 3.17. Choosing pothole reporting departs from that, and needs a reason.
    decision = {
        "first": str(ids[1]),
        "meeting": "Cabinet, 14 October 2026",
        "minute_reference": "C/42",
    }
    refused = client.post(f"/rounds/{round_id}/decision", data=decision)
    assert refused.status_code == 400
    assert "say why" in refused.get_data(as_text=True)
    decision["departure_reason"] = "The roads contract renews in April"
    assert client.post(f"/rounds/{round_id}/decision", data=decision).status_code == 302

    db.session.expire_all()
    pilot = db.session.get(Idea, ids[1]).pilot
    assert isinstance(pilot, Pilot) and pilot.status == "draft"
    assert pilot.title == "Pothole reporting"
    assert pilot.problem == "Residents need pothole reporting"
    assert pilot.pillars == ["understanding-needs"]
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert f"/ideas/{ids[1]}" in page and f"/rounds/{round_id}" in page

    document = json.loads(client.get(f"/rounds/{round_id}.json").get_data(as_text=True))
    assert document["decision"]["departure_reason"].startswith("The roads contract")
    assert len(document["scores"]) == 3 * 3 * 2
    assert {s["scorer"] for s in document["scores"]} == {u.display_name for u in panel}
    assert document["result"]["ideas"][0]["idea"] == "Library chatbot"
    csv_text = client.get(f"/rounds/{round_id}.csv").get_data(as_text=True)
    assert "Councillor Birch" in csv_text and "C/42" in csv_text
