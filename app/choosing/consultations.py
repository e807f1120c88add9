"""Residents' priorities: setting up a consultation, opening it and closing it.

A consultation is written as a draft (only its council's staff see it), opened (public from then
on: its question and options, never its counts), then closed, which publishes the counts. Opening
one publishes the council's ideas it lists. Each change is one transaction and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.audit import record_audit
from app.auth.models import User
from app.auth.service import council_ids_with_role, is_admin
from app.choosing.models.consultations import ANSWER_MODES, Consultation, ConsultationOption
from app.choosing.models.ideas import Idea
from app.common.conflicts import lock_row
from app.common.db_types import utcnow
from app.councils.models import Council
from app.extensions import db

MIN_OPTIONS = 2
MAX_OPTIONS = 20
# Service areas offered as options, so that counts from different councils can be compared.
SERVICE_AREAS = (
    "Adult social care",
    "Children's services",
    "Roads and transport",
    "Housing",
    "Waste and recycling",
    "Parks and green spaces",
    "Libraries and leisure",
    "Community safety",
    "Public health",
    "Council tax and benefits",
    "Planning and building control",
    "Online services and digital access",
)


class ConsultationError(ValueError):
    """A consultation cannot be saved or changed as asked; `errors`: field → how to fix it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class ConsultationData:
    """What an editor enters: options are service areas and other words, or ideas' ids."""

    question: str
    closes_on: date
    answer_mode: str = "pick"
    max_choices: int = 1
    description: str = ""
    option_labels: list[str] = field(default_factory=list)
    idea_ids: list[int] = field(default_factory=list)


def can_edit_consultations(user: User | None, council_id: int) -> bool:
    """Editors of the council (and registry admins) set up, open and close its consultations
    and enter answers taken on paper, by phone or in person."""
    return is_admin(user) or council_id in council_ids_with_role(user, "editor")


def can_moderate_comments(user: User | None, council_id: int) -> bool:
    """The council's admins (and registry admins) approve or hide residents' comments."""
    return is_admin(user) or council_id in council_ids_with_role(user, "council-admin")


def can_see_draft(user: User | None, council_id: int) -> bool:
    return can_edit_consultations(user, council_id) or can_moderate_comments(user, council_id)


def consultation_by_id(consultation_id: int) -> Consultation | None:
    return db.session.get(Consultation, consultation_id)


def visible_consultation(consultation_id: int, user: User | None) -> Consultation | None:
    """The consultation if this person may see it: an opened one, or a draft to its staff."""
    found = consultation_by_id(consultation_id)
    if found is None or not (found.is_public or can_see_draft(user, found.council_id)):
        return None
    return found


def council_ideas(council: Council) -> list[Idea]:
    """The council's ideas that may be put to residents (ideas not yet made pilots)."""
    query = select(Idea).where(Idea.council_id == council.id, Idea.pilot_id.is_(None))
    return list(db.session.scalars(query.order_by(Idea.title)))


def _option_rows(council: Council, data: ConsultationData) -> list[ConsultationOption]:
    labels = list(dict.fromkeys(" ".join(label.split()) for label in data.option_labels))
    rows = [ConsultationOption(label=label[:200]) for label in labels if label]
    ideas = {idea.id: idea for idea in council_ideas(council)}
    for idea_id in dict.fromkeys(data.idea_ids):
        if idea_id in ideas:
            rows.append(ConsultationOption(label=ideas[idea_id].title[:200], idea_id=idea_id))
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows


def check_consultation(council: Council, data: ConsultationData, today: date) -> dict[str, str]:
    """Rules across the fields: field name → how to fix it."""
    errors: dict[str, str] = {}
    ideas = {idea.id for idea in council_ideas(council)}
    if any(idea_id not in ideas for idea_id in data.idea_ids):
        errors["ideas"] = "Choose ideas from the list of your council's ideas"
    options = _option_rows(council, data)
    if len(options) < MIN_OPTIONS:
        errors["options"] = "Give at least 2 options: a consultation with one option asks nothing"
    elif len(options) > MAX_OPTIONS:
        errors["options"] = f"Give no more than {MAX_OPTIONS} options"
    if data.answer_mode not in ANSWER_MODES:
        errors["answer_mode"] = "Choose whether people pick options or rank them"
    if not 1 <= data.max_choices <= max(len(options), 1):
        errors["max_choices"] = (
            f"The number of choices must be between 1 and the number of options ({len(options)})"
        )
    if data.closes_on < today:
        errors["closes_on"] = "The closing date must be today or in the future"
    return errors


def save_consultation(
    council: Council, data: ConsultationData, user: User, existing: Consultation | None = None
) -> Consultation:
    """Create a draft consultation, or change one still in draft; raises ConsultationError."""
    if existing is not None and existing.status != "draft":
        raise ConsultationError({"question": "Only a draft consultation can be changed"})
    errors = check_consultation(council, data, utcnow().date())
    if errors:
        raise ConsultationError(errors)
    consultation = existing or Consultation(council=council, created_by=user, status="draft")
    consultation.question = data.question
    consultation.description = data.description
    consultation.answer_mode = data.answer_mode
    consultation.max_choices = data.max_choices
    consultation.closes_on = data.closes_on
    consultation.options = _option_rows(council, data)
    consultation.updated_at = utcnow()
    db.session.add(consultation)
    db.session.flush()
    action = "edited" if existing else "created"
    _audit(user, action, consultation)
    db.session.commit()
    return consultation


def open_consultation(consultation: Consultation, user: User) -> Consultation:
    """Open a draft for answers; the ideas among its options are published with it."""
    lock_row(consultation)
    if consultation.status != "draft":
        raise ConsultationError({"status": "This consultation has already been opened"})
    if consultation.closes_on < utcnow().date():
        raise ConsultationError(
            {"closes_on": "The closing date has passed: change it before opening"}
        )
    now = utcnow()
    consultation.status = "open"
    consultation.opened_at = now
    consultation.updated_at = now
    for option in consultation.options:
        if option.idea is not None and option.idea.published_at is None:
            option.idea.published_at = now
    _audit(user, "opened", consultation)
    db.session.commit()
    return consultation


def close_consultation(consultation: Consultation, user: User) -> Consultation:
    """Close an open consultation: no more answers, and its counts are published."""
    lock_row(consultation)
    if consultation.status != "open":
        raise ConsultationError({"status": "Only an open consultation can be closed"})
    now = utcnow()
    consultation.status = "closed"
    consultation.closed_at = now
    consultation.updated_at = now
    _audit(user, "closed", consultation)
    db.session.commit()
    return consultation


def _audit(user: User, action: str, consultation: Consultation) -> None:
    record_audit(
        user, action, "consultation", consultation.id, consultation.question,
        consultation.council_id,
    )  # fmt: skip


def council_consultations(council: Council, user: User | None) -> list[Consultation]:
    """The council's consultations, newest first: drafts only for its own staff."""
    query = select(Consultation).where(Consultation.council_id == council.id)
    if not can_see_draft(user, council.id):
        query = query.where(Consultation.status != "draft")
    query = query.options(selectinload(Consultation.options))
    return list(db.session.scalars(query.order_by(Consultation.created_at.desc())))


def open_consultations() -> list[Consultation]:
    """Every consultation taking answers, soonest closing first."""
    query = (
        select(Consultation)
        .where(Consultation.status == "open")
        .options(selectinload(Consultation.council))
        .order_by(Consultation.closes_on, Consultation.id)
    )
    return list(db.session.scalars(query))
