"""Residents' comments: stored with their answers, published only once a council admin approves
them (and only with the results, once the consultation has closed). Approving or hiding records
who did it and when, and is audited."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.audit import record_audit
from app.auth.models import User
from app.choosing.models.consultations import Consultation, ConsultationAnswer
from app.common.db_types import utcnow
from app.extensions import db

DECISIONS = {"approve": "approved", "hide": "hidden"}


class ModerationError(ValueError):
    """The comment cannot be moderated as asked."""


def comments_to_moderate(consultation: Consultation) -> list[ConsultationAnswer]:
    """Every answer with a comment, waiting ones first, then by when they came."""
    query = select(ConsultationAnswer).where(
        ConsultationAnswer.consultation_id == consultation.id,
        ConsultationAnswer.comment_status != "none",
    )
    answers = list(db.session.scalars(query.order_by(ConsultationAnswer.id)))
    return sorted(answers, key=lambda a: a.comment_status != "waiting")


def published_comments(consultation: Consultation) -> list[str]:
    """Approved comments of a closed consultation, in the order they came; none while open."""
    if consultation.status != "closed":
        return []
    query = select(ConsultationAnswer.comment).where(
        ConsultationAnswer.consultation_id == consultation.id,
        ConsultationAnswer.comment_status == "approved",
    )
    return list(db.session.scalars(query.order_by(ConsultationAnswer.id)))


def moderate_comment(
    consultation: Consultation, answer_id: int, decision: str, user: User
) -> ConsultationAnswer:
    """Approve or hide one comment (a decision can be changed later, and is recorded again)."""
    answer = db.session.get(ConsultationAnswer, answer_id)
    if answer is None or answer.consultation_id != consultation.id or not answer.comment:
        raise ModerationError("There is no such comment on this consultation")
    if decision not in DECISIONS:
        raise ModerationError("Choose whether to approve or hide the comment")
    answer.comment_status = DECISIONS[decision]
    answer.moderated_by = user
    answer.moderated_at = utcnow()
    record_audit(
        user, f"comment {DECISIONS[decision]}", "consultation", consultation.id,
        consultation.question, consultation.council_id, answer=answer.id,
    )  # fmt: skip
    db.session.commit()
    return answer
