"""Hidden means hidden: while a round is scoring, every page, feed and export, fetched as
anonymous, as each scorer, as a council admin and as a registry admin, shows no score but the
viewer's own. Each scorer's reasons carry a marker, so a score shown anywhere is found."""

from __future__ import annotations

from typing import Any

from app.choosing import lifecycle, scoring
from app.choosing.models import Round
from app.councils.service import council_by_code
from app.extensions import db
from tests.choosing.chosen import chosen_public_pilot
from tests.common.route_walk import build_path, get_rules, walk_objects
from tests.factories import create_round, create_user


def marker(user: Any) -> str:
    return f"secret-reason-of-{user.id}"


def score_everything(round_: Round, user: Any) -> None:
    entered = {
        (link.idea_id, c.id): scoring.EnteredScore(str(1 + user.id % 5), marker(user))
        for link in round_.idea_links
        for c in round_.criteria
    }
    scoring.save_scores(round_, user, entered)


def test_nobody_sees_anyone_elses_scores_while_the_round_is_scoring(
    client: Any, sign_in: Any
) -> None:
    objects = walk_objects()
    council = council_by_code("AAA")
    panel = [create_user("panel-member", council) for _ in range(3)]
    round_ = create_round(council, "scoring", panel=panel)
    for user in panel:
        score_everything(round_, user)
    objects["round"] = round_.id
    objects["idea"] = round_.idea_links[0].idea_id
    # The walk reads /api/v1/pilots/<slug> and the pilot's pages for a pilot chosen from an idea
    # of this round in an earlier decided one: its round is there, the scores are not.
    objects["registered"] = chosen_public_pilot(council, also_in=round_)
    api_pilot = client.get(f"/api/v1/pilots/{objects['registered']}").get_json()["pilot"]
    assert api_pilot["round"]["status"] == "decided"
    viewers = [None, *panel, create_user("council-admin", council), create_user("admin")]
    rules = [rule for rule in get_rules(client.application) if rule.endpoint != "static"]

    for viewer in viewers:
        if viewer is None:
            client.get("/auth/sign-out")
            with client.session_transaction() as session:
                session.clear()
        else:
            sign_in(viewer)
        for rule in rules:
            path = build_path(rule, objects)
            text = client.get(path).get_data(as_text=True)
            for scorer in panel:
                if scorer is not viewer:
                    assert marker(scorer) not in text, (path, viewer, scorer)
        if viewer in panel:
            own = client.get(f"/rounds/{round_.id}/scores").get_data(as_text=True)
            assert marker(viewer) in own

    assert client.get(f"/rounds/{round_.id}.json").status_code == 404
    assert client.get(f"/rounds/{round_.id}.csv").status_code == 404
    # Once closed, the same markers are published: the walk above would have seen them.
    lifecycle.move_round(db.session.get(Round, round_.id), "closed", viewers[-1])
    published = client.get(f"/rounds/{round_.id}.json").get_data(as_text=True)
    assert all(marker(scorer) in published for scorer in panel)


def test_second_scoring_scores_stay_hidden_while_the_first_result_is_shown(
    client: Any, sign_in: Any
) -> None:
    objects = walk_objects()
    council = council_by_code("AAA")
    panel = [create_user("panel-member", council) for _ in range(2)]
    round_ = create_round(council, "closed", panel=panel)
    admin = create_user("council-admin", council)
    lifecycle.move_round(round_, "rescoring", admin)
    score_everything(db.session.get(Round, round_.id), panel[0])
    objects["round"] = round_.id
    objects["registered"] = chosen_public_pilot(council, also_in=round_)
    rules = [rule for rule in get_rules(client.application) if rule.endpoint != "static"]
    for viewer in (admin, panel[1]):
        sign_in(viewer)
        for rule in rules:
            path = build_path(rule, objects)
            assert marker(panel[0]) not in client.get(path).get_data(as_text=True), path
    assert "Result" in client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    document = client.get(f"/rounds/{round_.id}.json").get_json()
    assert {s["scoring"] for s in document["scores"]} == {1}
