"""The demo's residents' priorities: a closed consultation with online and paper answers in each
of Kensington and Chelsea, Hertfordshire and West Berkshire, one still open; loading twice adds
nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.choosing.models.consultations import Consultation, ConsultationAnswer
from app.content.demo import load_demo
from app.extensions import db


def test_demo_consultations_load_once_with_online_and_paper_answers(client):
    assert load_demo().consultations == 4
    closed = list(db.session.scalars(select(Consultation).where(Consultation.status == "closed")))
    assert {c.council.code for c in closed} == {"KEC", "HRT", "WBK"}
    for consultation in closed:
        channels = set(
            db.session.scalars(
                select(ConsultationAnswer.channel).where(
                    ConsultationAnswer.consultation_id == consultation.id
                )
            )
        )
        assert {"online", "paper"} <= channels
        page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
        assert "data-answers=" in page
    answers = db.session.scalar(select(func.count(ConsultationAnswer.id)))

    assert load_demo().consultations == 0
    assert db.session.scalar(select(func.count(ConsultationAnswer.id))) == answers
    page = client.get("/priorities").get_data(as_text=True)
    assert "Which of these ideas should we try in 2027?" in page  # the open one
    assert "London" in page and "East of England" in page and "South East" in page
