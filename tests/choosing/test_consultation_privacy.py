"""An answer to an open consultation is a private write: it leaves every cached page as it was
(or each resident's answer would make every page render afresh). Closing publishes, and does."""

from __future__ import annotations

from sqlalchemy import select

from app.choosing import answers
from app.choosing.answers import AnswerData
from app.choosing.consultations import close_consultation, open_consultation
from app.choosing.models.consultations import ConsultationAnswer
from app.choosing.moderation import moderate_comment
from app.common.caching.generation import current_generation
from app.extensions import db
from tests.factories import create_consultation


def test_online_and_offline_answers_and_moderation_leave_the_generation_alone(consulting):
    consultation = consulting.consultation
    before = current_generation()

    answers.answer_online(consultation, AnswerData([consultation.options[0].id], "Buses!"), "t1")
    answers.enter_offline_answer(
        consultation, AnswerData([consultation.options[1].id]), "phone", consulting.editor
    )
    waiting = db.session.scalars(
        select(ConsultationAnswer).where(ConsultationAnswer.comment != "")
    ).one()
    moderate_comment(consultation, waiting.id, "approve", consulting.council_admin)

    assert current_generation() == before


def test_a_draft_is_private_and_opening_and_closing_publish(consulting):
    before = current_generation()
    draft = create_consultation(consulting.council, status="draft")
    assert current_generation() == before

    open_consultation(draft, consulting.editor)
    opened = current_generation()
    assert opened != before

    close_consultation(draft, consulting.editor)
    assert current_generation() != opened
