"""Bad input to a round gets a clear message and changes nothing: scores outside 1–5, a weight of
zero or less, a scorer not on the panel, scoring after close, an amendment without a reason or
once scoring has begun. Weights that do not sum to 1 are normalised, and the page says so."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.choosing.models import Round, Score
from app.councils.models import Council
from app.extensions import db
from tests.choosing.conftest import CRITERIA
from tests.factories import create_idea, create_round, create_user


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def round_form(council: Council, panel: list[User], **changes: str) -> dict[str, Any]:
    ideas = [create_idea(council).id, create_idea(council).id]
    data = {"council": "AAA", "title": "Round", "ideas": ideas, "criteria": CRITERIA,
            "panel": "\n".join(u.email for u in panel)}  # fmt: skip
    return {**data, **changes}


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ("Need | 0 | higher | a; b; c; d; e", "more than zero"),
        ("Need | -2 | higher | a; b; c; d; e", "more than zero"),
        ("Need | lots | higher | a; b; c; d; e", "must be a number"),
        ("Need | 1 | sideways | a; b; c; d; e", "higher or lower"),
        ("Need | 1 | higher | a; b; c", "define each score from 1 to 5"),
    ],
)
def test_a_bad_criterion_is_refused_and_no_round_is_made(
    client: Any, sign_in: Any, council: Council, council_admin: User, panel: list[User],
    criteria: str, message: str,
) -> None:  # fmt: skip
    sign_in(council_admin)
    response = client.post("/rounds/new", data=round_form(council, panel, criteria=criteria))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Round) == 0


def test_weights_that_do_not_sum_to_one_are_normalised_and_the_admin_is_told(
    client: Any, sign_in: Any, council: Council, council_admin: User, panel: list[User]
) -> None:
    sign_in(council_admin)
    response = client.post("/rounds/new", data=round_form(council, panel), follow_redirects=True)
    assert "The weights did not sum to 1" in response.get_data(as_text=True)


def test_only_the_councils_panel_members_can_be_on_its_panel(
    client: Any, sign_in: Any, council: Council, council_admin: User, editor: User
) -> None:
    sign_in(council_admin)
    response = client.post("/rounds/new", data=round_form(council, [editor]))
    assert response.status_code == 400
    assert f"Not a panel member of Alphaton: {editor.email}" in response.get_data(as_text=True)
    assert count(Round) == 0


def score_form(round_: Round, value: str) -> dict[str, str]:
    criterion = round_.criteria[0]
    return {f"score-{link.idea_id}-{criterion.id}": value for link in round_.idea_links}


@pytest.mark.parametrize("value", ["0", "6", "-1", "2.5", "three"])
def test_a_score_outside_one_to_five_is_refused_and_none_is_saved(
    client: Any, sign_in: Any, council: Council, panel: list[User], value: str
) -> None:
    round_ = create_round(council, "scoring", panel=panel)
    sign_in(panel[0])
    form = score_form(round_, value)
    first = next(iter(form))
    form[first] = "4"  # a good score beside the bad one is not saved either
    response = client.post(f"/rounds/{round_.id}/scores", data=form)
    assert response.status_code == 400
    assert "A score must be a whole number from 1 to 5" in response.get_data(as_text=True)
    assert count(Score) == 0


def test_a_panel_member_not_on_this_rounds_panel_cannot_score(
    client: Any, sign_in: Any, council: Council, panel: list[User]
) -> None:
    round_ = create_round(council, "scoring", panel=panel[:2])
    sign_in(panel[2])
    assert client.get(f"/rounds/{round_.id}/scores").status_code == 403
    assert (
        client.post(f"/rounds/{round_.id}/scores", data=score_form(round_, "3")).status_code == 403
    )
    assert count(Score) == 0


def test_scores_after_the_round_closes_are_refused(
    client: Any, sign_in: Any, council: Council, panel: list[User]
) -> None:
    round_ = create_round(council, "closed", panel=panel[:2])
    before = db.session.execute(select(Score.id, Score.value).order_by(Score.id)).all()
    sign_in(panel[0])
    response = client.post(f"/rounds/{round_.id}/scores", data=score_form(round_, "5"))
    assert response.status_code == 400
    assert "it is not taking scores now" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.execute(select(Score.id, Score.value).order_by(Score.id)).all() == before


def test_an_opened_round_is_amended_only_with_a_reason_and_never_once_scoring_began(
    client: Any, sign_in: Any, council: Council, council_admin: User, panel: list[User]
) -> None:
    round_ = create_round(council, "open", panel=panel)
    frozen = round_.config_hash
    form = round_form(council, panel, criteria="Need | 2 | higher | a; b; c; d; e")
    form["ideas"] = [link.idea_id for link in round_.idea_links]
    sign_in(council_admin)
    refused = client.post(f"/rounds/{round_.id}/setup", data=form)
    assert refused.status_code == 400
    assert "Say why the opened round" in refused.get_data(as_text=True)

    form["reason"] = "Cost was missing from the criteria"
    assert client.post(f"/rounds/{round_.id}/setup", data=form).status_code == 302
    db.session.expire_all()
    amended = db.session.get(Round, round_.id)
    assert amended.config_hash != frozen and amended.amendments[0].previous_hash == frozen
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "Cost was missing from the criteria" in page and amended.config_hash in page

    client.post(f"/rounds/{round_.id}/status", data={"to": "scoring"})
    form["reason"] = "One more change"
    client.post(f"/rounds/{round_.id}/setup", data=form)
    db.session.expire_all()
    assert len(db.session.get(Round, round_.id).amendments) == 1


def test_a_round_cannot_close_before_anyone_has_scored_everything(
    client: Any, sign_in: Any, council: Council, council_admin: User, panel: list[User]
) -> None:
    round_ = create_round(council, "scoring", panel=panel)
    sign_in(council_admin)
    page = client.post(f"/rounds/{round_.id}/status", data={"to": "closed"}, follow_redirects=True)
    assert "cannot close" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Round, round_.id).status == "scoring"


def test_a_panel_member_may_do_nothing_but_declare_and_score(
    client: Any, sign_in: Any, council: Council, panel: list[User]
) -> None:
    sign_in(panel[0])
    for path in ("/ideas/new", "/pilots/new", "/rounds/new", "/councils/aaa/ideas"):
        assert client.get(path).status_code == 403, path
    idea = create_idea(council)
    assert client.get(f"/ideas/{idea.id}").status_code == 404  # private to the council's staff


def test_the_panel_member_role_is_granted_for_a_council(app: Any, council: Council) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "grant", "cllr@aaa.test", "panel-member", "--council", "AAA"]
    )
    assert "Granted panel-member for AAA" in result.output
    refused = app.test_cli_runner().invoke(args=["users", "grant", "x@aaa.test", "panel-member"])
    assert "needs --council" in refused.output
    assert create_user  # the factory makes panel members too, as the other tests do
