"""Answers to a consultation: online from anyone, or entered by staff from paper, phone and
in person, so that residents without the internet count the same.

An online answer carries a hash of a random token kept in the browser's session cookie, and the
database allows one answer per consultation and key: a second answer from the same session is
refused, even when two arrive at once. Nobody sees counts while a consultation is open; a member
of staff is told only how many answers they entered themselves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.choosing.models.consultations import (
    OFFLINE_CHANNELS,
    AnswerChoice,
    Consultation,
    ConsultationAnswer,
)
from app.common.db_types import utcnow
from app.extensions import db

MAX_COMMENT = 2000
ALREADY_ANSWERED = "You have already answered this consultation from this browser"


class AnswerError(ValueError):
    """An answer cannot be taken as given; `errors`: field → what to do."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class AnswerData:
    """The options chosen, by id, in order of preference for a ranked consultation."""

    option_ids: list[int]
    comment: str = ""


def session_key(browser_token: str) -> str:
    """What is stored for a browser session: a hash, so the database never holds the token."""
    return hashlib.sha256(browser_token.encode()).hexdigest()


def check_answer(consultation: Consultation, data: AnswerData, online: bool) -> dict[str, str]:
    """Why the answer cannot be taken, field → message; empty when it can."""
    if consultation.status != "open":
        return {"choices": "This consultation is not taking answers"}
    if online and utcnow().date() > consultation.closes_on:
        return {"choices": "This consultation closed to answers on its closing date"}
    errors: dict[str, str] = {}
    listed = {option.id for option in consultation.options}
    chosen = data.option_ids
    if not chosen:
        errors["choices"] = (
            "Rank at least one option" if consultation.answer_mode == "rank"
            else "Choose at least one option"
        )  # fmt: skip
    elif any(option_id not in listed for option_id in chosen):
        errors["choices"] = "Choose options from the list"
    elif len(set(chosen)) != len(chosen):
        errors["choices"] = "Give each option only one place in your ranking"
    elif len(chosen) > consultation.max_choices:
        errors["choices"] = f"Choose no more than {consultation.max_choices}"
    if len(data.comment) > MAX_COMMENT:
        errors["comment"] = f"Your comment must be {MAX_COMMENT:,} characters or fewer"
    return errors


def _new_answer(consultation: Consultation, data: AnswerData, channel: str) -> ConsultationAnswer:
    comment = data.comment.strip()
    answer = ConsultationAnswer(
        consultation=consultation,
        channel=channel,
        comment=comment,
        comment_status="waiting" if comment else "none",
    )
    answer.choices = [
        AnswerChoice(option_id=option_id, rank=place)
        for place, option_id in enumerate(data.option_ids, start=1)
    ]
    return answer


def already_answered(consultation: Consultation, browser_token: str | None) -> bool:
    if not browser_token:
        return False
    query = select(func.count()).where(
        ConsultationAnswer.consultation_id == consultation.id,
        ConsultationAnswer.session_key == session_key(browser_token),
    )
    return bool(db.session.scalar(query))


def answer_online(consultation: Consultation, data: AnswerData, browser_token: str) -> None:
    """Take one online answer from a browser session; raises AnswerError for a second answer
    from the same session, after the closing date, or for options not on the list."""
    if already_answered(consultation, browser_token):
        raise AnswerError({"choices": ALREADY_ANSWERED})
    errors = check_answer(consultation, data, online=True)
    if errors:
        raise AnswerError(errors)
    answer = _new_answer(consultation, data, "online")
    answer.session_key = session_key(browser_token)
    db.session.add(answer)
    try:
        db.session.commit()
    except IntegrityError:
        # The same session's other answer committed first (a double click).
        db.session.rollback()
        raise AnswerError({"choices": ALREADY_ANSWERED}) from None


def enter_offline_answer(
    consultation: Consultation, data: AnswerData, channel: str, user: User
) -> None:
    """Record an answer taken on paper, by phone or in person, flagged with its channel and the
    member of staff who entered it. Taken until the consultation is closed (paper posted before
    the closing date arrives after it). Not audited one by one: it is counted, not a decision."""
    errors = check_answer(consultation, data, online=False)
    if channel not in OFFLINE_CHANNELS:
        errors["channel"] = "Choose how the answer was given: paper, phone or in person"
    if errors:
        raise AnswerError(errors)
    answer = _new_answer(consultation, data, channel)
    answer.entered_by = user
    db.session.add(answer)
    db.session.commit()


def answers_entered_by(consultation: Consultation, user: User | None) -> int:
    """How many answers this person entered: the one count staff see while it is open."""
    if user is None:
        return 0
    query = select(func.count()).where(
        ConsultationAnswer.consultation_id == consultation.id,
        ConsultationAnswer.entered_by_id == user.id,
    )
    return db.session.scalar(query) or 0
