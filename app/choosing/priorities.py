"""Residents' priorities across the registry: which needs residents put first, by region and by
kind of council, from closed consultations only (an open one's counts are never read here);
decided rounds; a council's published ideas and consultations; and the consultations' moments
for the feeds (the rounds' are in `feed_entries`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.choosing.models.consultations import (
    AnswerChoice,
    Consultation,
    ConsultationAnswer,
    ConsultationOption,
)
from app.choosing.models.ideas import Idea
from app.choosing.models.rounds import Round
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import Pilot

TOP_NEEDS = 3
GROUPINGS = {"region": Council.region, "type": Council.la_type_name}


@dataclass(frozen=True)
class NeedShare:
    label: str
    chosen: int  # answers that chose (or ranked) it
    answers: int  # answers to the closed consultations that offered it, in the group

    @property
    def percent(self) -> int:
        return round(100 * self.chosen / self.answers) if self.answers else 0


@dataclass(frozen=True)
class GroupNeeds:
    group: str
    councils: int
    answers: int
    needs: list[NeedShare]  # highest share first


def _label_key(label: str) -> str:
    return " ".join(label.casefold().split())


@dataclass(frozen=True)
class AnswerTallies:
    """The closed consultations' answers: how many chose each option, and how many each had."""

    chosen: dict[int, int]  # option id → answers that chose it
    answers: dict[int, int]  # consultation id → answers


def answer_tallies() -> AnswerTallies:
    """Counted once for both of /priorities' tables: each reads every closed answer."""
    chosen = dict(
        db.session.execute(
            select(AnswerChoice.option_id, func.count())
            .join(ConsultationOption, ConsultationOption.id == AnswerChoice.option_id)
            .join(Consultation, Consultation.id == ConsultationOption.consultation_id)
            .where(Consultation.status == "closed")
            .group_by(AnswerChoice.option_id)
        ).all()
    )
    answers = dict(
        db.session.execute(
            select(ConsultationAnswer.consultation_id, func.count())
            .join(Consultation, Consultation.id == ConsultationAnswer.consultation_id)
            .where(Consultation.status == "closed")
            .group_by(ConsultationAnswer.consultation_id)
        ).all()
    )
    return AnswerTallies(chosen, answers)


def needs_by(grouping: str, tallies: AnswerTallies | None = None) -> list[GroupNeeds]:
    """Per region (or council type), the needs chosen by the largest share of the answers to
    the closed consultations that offered them. Ideas are one council's own and are left out;
    service areas and other options are matched by their words, ignoring case."""
    group_column = GROUPINGS[grouping]
    closed_options = (
        select(group_column, ConsultationOption.id, ConsultationOption.label, Consultation.id)
        .join(Consultation, Consultation.id == ConsultationOption.consultation_id)
        .join(Council, Council.id == Consultation.council_id)
        .where(Consultation.status == "closed", ConsultationOption.idea_id.is_(None))
    )
    tallies = tallies or answer_tallies()
    chosen, answers = tallies.chosen, tallies.answers
    councils = {
        (group or "—"): count
        for group, count in db.session.execute(
            select(group_column, func.count(func.distinct(Consultation.council_id)))
            .join(Council, Council.id == Consultation.council_id)
            .where(Consultation.status == "closed")
            .group_by(group_column)
        )
    }
    totals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    names: dict[str, str] = {}
    group_answers: dict[str, set[int]] = defaultdict(set)
    for group, option_id, label, consultation_id in db.session.execute(closed_options):
        key = _label_key(label)
        names.setdefault(key, label)
        totals[group or "—"][key][0] += chosen.get(option_id, 0)
        totals[group or "—"][key][1] += answers.get(consultation_id, 0)
        group_answers[group or "—"].add(consultation_id)
    result = []
    for group, needs in sorted(totals.items()):
        shares = [NeedShare(names[k], c, a) for k, (c, a) in needs.items() if a]
        shares.sort(key=lambda s: (-s.chosen / s.answers, -s.chosen, s.label))
        result.append(
            GroupNeeds(
                group,
                councils.get(group, 0),
                sum(answers.get(c, 0) for c in group_answers[group]),
                shares[:TOP_NEEDS],
            )
        )
    return [g for g in result if g.answers]


def decided_rounds() -> list[Round]:
    """Every council's decided prioritisation rounds, latest decision first."""
    query = (
        select(Round)
        .where(Round.status == "decided")
        .options(selectinload(Round.council))
        .order_by(Round.decided_at.desc(), Round.id.desc())
    )
    return list(db.session.scalars(query))


def published_ideas(council: Council) -> list[Idea]:
    """The council's ideas made public (on their own, or by an opened consultation or round)."""
    query = select(Idea).where(Idea.council_id == council.id, Idea.published_at.is_not(None))
    return list(db.session.scalars(query.order_by(Idea.published_at.desc(), Idea.id.desc())))


@dataclass(frozen=True)
class PriorityEvent:
    """Something that happened to a council's priorities: a consultation opened or closed."""

    kind: str  # "consultation-opened" | "consultation-closed"
    at: datetime
    consultation: Consultation

    @property
    def key(self) -> str:
        return f"consultation/{self.consultation.id}/{self.kind.rsplit('-', 1)[1]}"


def priority_events(council_id: int | None = None, limit: int = 50) -> list[PriorityEvent]:
    """The newest openings and closings of consultations, newest first."""
    query = select(Consultation).where(Consultation.status != "draft")
    if council_id is not None:
        query = query.where(Consultation.council_id == council_id)
    newest = query.order_by(Consultation.updated_at.desc()).limit(limit)
    events = []
    for consultation in db.session.scalars(newest.options(selectinload(Consultation.council))):
        if consultation.opened_at is not None:
            events.append(
                PriorityEvent("consultation-opened", consultation.opened_at, consultation)
            )
        if consultation.closed_at is not None:
            events.append(
                PriorityEvent("consultation-closed", consultation.closed_at, consultation)
            )
    events.sort(key=lambda e: (e.at, e.consultation.id), reverse=True)
    return events[:limit]


def priority_events_fingerprint(council_id: int | None = None) -> tuple[int, datetime | None]:
    """How many public consultations there are and when one last changed: a feed's validator."""
    query = select(func.count(Consultation.id), func.max(Consultation.updated_at)).where(
        Consultation.status != "draft"
    )
    if council_id is not None:
        query = query.where(Consultation.council_id == council_id)
    count, newest = db.session.execute(query).one()
    return int(count), newest


@dataclass(frozen=True)
class AnsweredPriority:
    """A closed consultation that offered the idea a pilot came from, and how residents chose."""

    consultation: Consultation
    chosen: int
    answers: int


def answered_priorities(pilot: Pilot) -> list[AnsweredPriority]:
    """For the pilot page: the closed consultations that put its idea to residents, with how
    many of the answers chose it."""
    option_rows = db.session.execute(
        select(ConsultationOption.id, Consultation)
        .join(Consultation, Consultation.id == ConsultationOption.consultation_id)
        .join(Idea, Idea.id == ConsultationOption.idea_id)
        .where(Idea.pilot_id == pilot.id, Consultation.status == "closed")
        .order_by(Consultation.closed_at)
    ).all()
    answered = []
    for option_id, consultation in option_rows:
        chosen = db.session.scalar(select(func.count()).where(AnswerChoice.option_id == option_id))
        answers = db.session.scalar(
            select(func.count()).where(ConsultationAnswer.consultation_id == consultation.id)
        )
        answered.append(AnsweredPriority(consultation, chosen or 0, answers or 0))
    return answered
