"""Which consultation writes change no public page, so they leave the page cache alone.

An answer (online or entered by staff) to an open consultation shows nowhere until it closes, and
neither does moderating its comments; a draft is seen only by its council's staff. Without this
every resident's answer would make every cached page render afresh. Opening and closing change
what the public sees, and do empty the cache.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from app.choosing.models.consultations import (
    AnswerChoice,
    Consultation,
    ConsultationAnswer,
    ConsultationOption,
)


def _stays(consultation: Consultation, status: str) -> bool:
    state: Any = inspect(consultation)
    before = state.attrs.status.history.deleted or ()
    return consultation.status == status and all(s == status for s in before)


def _in_session(session: Session, cls: type, key: int | None) -> Any:
    # Only an object already in this session can vouch (never a query mid-flush).
    if key is None:
        return None
    found = session.identity_map.get(identity_key(cls, key))
    if found is not None:
        return found
    return next(
        (o for o in session.new if isinstance(o, cls) and getattr(o, "id", None) == key), None
    )


def _consultation_of(session: Session, obj: object) -> Consultation | None:
    if isinstance(obj, AnswerChoice):
        obj = _in_session(session, ConsultationAnswer, obj.answer_id)
    if isinstance(obj, ConsultationAnswer | ConsultationOption):
        return _in_session(session, Consultation, obj.consultation_id)  # type: ignore[no-any-return]
    return None


def only_private_consultation_rows(session: Session, obj: object) -> bool:
    """True for a draft consultation (or its options) staying a draft, and for an answer, its
    choices and its comment's moderation while the consultation stays open."""
    if isinstance(obj, Consultation):
        return _stays(obj, "draft")
    consultation = _consultation_of(session, obj)
    if consultation is None:
        return False
    if isinstance(obj, ConsultationOption):
        return _stays(consultation, "draft")
    return _stays(consultation, "open")
