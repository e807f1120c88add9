"""A round takes residents' priorities as evidence: a council admin attaches closed
consultations of the same council when setting the round up; the round page and the scoring page
show their published counts; the frozen configuration and its hash include them. Another
council's consultation, or one still open, is refused with a clear message and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.models import User
from app.choosing.config import config_hash
from app.choosing.errors import ChoosingError
from app.choosing.evidence import evidence_of
from app.choosing.models import Round, RoundConsultation
from app.choosing.models.consultations import AnswerChoice, Consultation, ConsultationAnswer
from app.common.db_types import utcnow
from app.councils.models import Council
from app.extensions import db
from tests.choosing.test_round_input import count, round_form
from tests.factories import (
    create_consultation,
    create_council,
    create_idea,
    create_pilot,
    create_round,
)


def closed_consultation(council: Council, paper: int = 3, online: int = 2) -> Consultation:
    """A closed consultation: `paper` answers for its first option, `online` for its second."""
    consultation = create_consultation(council, status="closed", question="Which first?")
    first, second = consultation.options[0], consultation.options[1]
    for channel, option, how_many in (("paper", first, paper), ("online", second, online)):
        for _ in range(how_many):
            db.session.add(
                ConsultationAnswer(consultation=consultation, channel=channel,
                                   choices=[AnswerChoice(option=option, rank=1)])
            )  # fmt: skip
    db.session.commit()
    return consultation


def test_a_closed_consultation_attached_to_a_round_shows_its_counts_and_joins_the_hash(
    client: Any, sign_in: Any, council: Council, council_admin: User, panel: list[User]
) -> None:
    consultation = closed_consultation(council)
    sign_in(council_admin)
    offered = client.get("/rounds/new").get_data(as_text=True)
    assert "Which first? (Alphaton)" in offered

    form = round_form(council, panel, consultations=[consultation.id])
    response = client.post("/rounds/new", data=form)
    assert response.status_code == 302
    round_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert f'href="/consultations/{consultation.id}"' in page
    assert "5 answers, counted when the consultation closed." in page

    client.post(f"/rounds/{round_id}/status", data={"to": "open"})
    db.session.expire_all()
    opened = db.session.get(Round, round_id)
    assert opened.config["evidence"] == [
        {"consultation": consultation.id, "question": "Which first?", "answers": 5}
    ]
    assert opened.config_hash == config_hash(opened.config)
    without = {**opened.config, "evidence": []}
    assert config_hash(without) != opened.config_hash

    client.post(f"/rounds/{round_id}/status", data={"to": "scoring"})
    sign_in(panel[0])
    scoring = client.get(f"/rounds/{round_id}/scores").get_data(as_text=True)
    assert "priorities (evidence)" in scoring
    assert "5 answers, counted when the consultation closed." in scoring


def test_an_amendment_that_drops_the_evidence_changes_the_hash(
    client: Any, sign_in: Any, council: Council, council_admin: User, panel: list[User]
) -> None:
    consultation = closed_consultation(council)
    round_ = create_round(council, "draft", panel=panel)
    form = round_form(council, panel, consultations=[consultation.id])
    form["ideas"] = [link.idea_id for link in round_.idea_links]
    sign_in(council_admin)
    assert client.post(f"/rounds/{round_.id}/setup", data=form).status_code == 302
    client.post(f"/rounds/{round_.id}/status", data={"to": "open"})
    db.session.expire_all()
    frozen = db.session.get(Round, round_.id).config_hash

    del form["consultations"]
    form["reason"] = "The consultation asked a different question"
    assert client.post(f"/rounds/{round_.id}/setup", data=form).status_code == 302
    db.session.expire_all()
    amended = db.session.get(Round, round_.id)
    assert amended.evidence == [] and amended.config["evidence"] == []
    assert amended.config_hash != frozen


def test_another_councils_consultation_is_refused_and_no_round_is_made(
    client: Any, sign_in: Any, council: Council, council_admin: User, panel: list[User]
) -> None:
    elsewhere = closed_consultation(create_council(code="BBB", nice_name="Betaville"))
    sign_in(council_admin)
    response = client.post(
        "/rounds/new", data=round_form(council, panel, consultations=[elsewhere.id])
    )
    assert response.status_code == 400
    assert "Choose closed consultations of this council from the list" in response.get_data(
        as_text=True
    )
    assert count(Round) == 0


def test_an_open_consultation_is_refused_and_the_set_up_is_unchanged(
    client: Any, sign_in: Any, council: Council, council_admin: User, panel: list[User]
) -> None:
    still_open = create_consultation(council, question="Still asking?")
    round_ = create_round(council, "draft", panel=panel)
    form = round_form(council, panel, title="Renamed", consultations=[still_open.id])
    form["ideas"] = [link.idea_id for link in round_.idea_links]
    sign_in(council_admin)
    response = client.post(f"/rounds/{round_.id}/setup", data=form)
    assert response.status_code == 400
    assert "Choose closed consultations of this council from the list" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    unchanged = db.session.get(Round, round_.id)
    assert unchanged.title == "Round" and unchanged.evidence == []


def test_the_service_refuses_an_open_or_foreign_consultation_with_a_clear_error(
    council: Council,
) -> None:
    # The form offers only closed ones of the council; the service says why for anything else
    # (an API or a stale form could send it).
    still_open = create_consultation(council, question="Still asking?")
    foreign = closed_consultation(create_council(code="BBB", nice_name="Betaville"))
    with pytest.raises(ChoosingError, match=r"not yet closed: Still asking\?"):
        evidence_of(council, [still_open.id])
    with pytest.raises(ChoosingError, match="consultations of this council"):
        evidence_of(council, [foreign.id])
    with pytest.raises(ChoosingError, match="consultations of this council"):
        evidence_of(council, [999999])


def test_the_pilot_page_names_the_evidence_its_round_scored_with(
    client: Any, council: Council, panel: list[User]
) -> None:
    consultation = closed_consultation(council)
    idea = create_idea(council, published=True, pilot=create_pilot(council, status="registered"))
    round_ = create_round(
        council, "decided", panel=panel, ideas=[idea, create_idea(council, published=True)],
        chosen_idea_ids=[idea.id], decided_at=utcnow(),
    )  # fmt: skip
    round_.evidence_links = [RoundConsultation(consultation=consultation, position=0)]
    db.session.commit()
    page = client.get(f"/pilots/{idea.pilot.slug}").get_data(as_text=True)
    chosen = page.split("How it was chosen", 1)[1].split("<h2", 1)[0]
    assert f'href="/rounds/{round_.id}"' in chosen
    assert f'href="/consultations/{consultation.id}"' in chosen
    assert "evidence the round" in chosen


def test_the_public_see_an_ideas_published_rounds_but_not_its_drafts(
    client: Any, council: Council, panel: list[User]
) -> None:
    idea = create_idea(council, published=True)
    other = create_idea(council, published=True)
    draft = create_round(council, "draft", panel=panel, ideas=[idea, other], title="Drafted")
    opened = create_round(council, "open", panel=panel, ideas=[idea, other], title="Opened")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/rounds/{opened.id}"' in page
    assert f'href="/rounds/{draft.id}"' not in page
