"""Residents' priorities in the demo (content/demo/consultations.json): closed consultations
with online, paper, phone and in-person answers in Kensington and Chelsea, Hertfordshire and West
Berkshire, and one still open in Kensington and Chelsea (so hidden counts can be seen hidden).

Rows are written directly, as a record of consultations that already ran: the services would
refuse a closing date in the past. Paper, phone and in-person answers are entered by the
council's demo editor. A consultation already there (same council and question) is left alone,
so loading twice changes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.auth.models import Membership, User
from app.choosing.answers import session_key
from app.choosing.models.consultations import (
    AnswerChoice,
    Consultation,
    ConsultationAnswer,
    ConsultationOption,
)
from app.common.db_types import utcnow
from app.councils.models import Council
from app.councils.service import council_by_code
from app.extensions import db


def load_consultations_demo(path: Path) -> int:
    """Add the demo consultations not yet there; returns how many were added."""
    added = 0
    for entry in json.loads(path.read_text(encoding="utf-8"))["consultations"]:
        council = council_by_code(entry["council"])
        if council is None or _exists(council, entry["question"]):
            continue
        _add(council, entry)
        added += 1
    db.session.commit()
    return added


def _exists(council: Council, question: str) -> bool:
    query = select(Consultation.id).where(
        Consultation.council_id == council.id, Consultation.question == question
    )
    return db.session.scalar(query) is not None


def _person(council: Council | None, *roles: str) -> User | None:
    """The first demo person holding one of `roles` in the council (site-wide if None)."""
    query = select(User).join(Membership, Membership.user_id == User.id)
    query = query.where(Membership.role.in_(roles), Membership.status == "approved")
    if council is not None:
        query = query.where(Membership.council_id == council.id)
    return db.session.scalars(query.order_by(Membership.id)).first()


def _add(council: Council, entry: dict[str, Any]) -> None:
    now = utcnow()
    closed = "closed_days_ago" in entry
    editor = _person(council, "editor", "council-admin")
    moderator = _person(council, "council-admin") or _person(None, "admin")
    consultation = Consultation(
        council=council,
        question=entry["question"],
        description=entry.get("description", ""),
        answer_mode=entry["answer_mode"],
        max_choices=entry["max_choices"],
        status="closed" if closed else "open",
        opened_at=now - timedelta(days=entry["opened_days_ago"]),
        closed_at=now - timedelta(days=entry["closed_days_ago"]) if closed else None,
        closes_on=(now - timedelta(days=entry["closes_days_ago"])).date()
        if closed
        else (now + timedelta(days=entry["closes_in_days"])).date(),
        created_by=editor,
    )
    consultation.options = [
        ConsultationOption(label=label, position=n)
        for n, label in enumerate(entry["options"], start=1)
    ]
    db.session.add(consultation)
    comments: dict[str, list[dict[str, str]]] = {}
    for comment in entry.get("comments", []):
        comments.setdefault(comment["channel"], []).append(comment)
    for channel, picks in entry["answers"].items():
        for n, chosen in enumerate(picks):
            answer = ConsultationAnswer(consultation=consultation, channel=channel)
            if channel == "online":
                answer.session_key = session_key(f"demo-{council.code}-{entry['question']}-{n}")
            else:
                answer.entered_by = editor
            answer.choices = [
                AnswerChoice(option=consultation.options[index], rank=place)
                for place, index in enumerate(chosen, start=1)
            ]
            if comments.get(channel):
                _comment(answer, comments[channel].pop(0), moderator, now)
            db.session.add(answer)


def _comment(answer: ConsultationAnswer, comment: dict[str, str], moderator: User | None,
             now: datetime) -> None:  # fmt: skip
    answer.comment = comment["text"]
    answer.comment_status = comment["state"]
    if comment["state"] != "waiting":
        answer.moderated_by = moderator
        answer.moderated_at = now
