"""A closed consultation's published counts: by option and by channel, with the number of
answers. `consultation_results` refuses an open consultation, so no page, feed or download can
show a count before the council closes it.

In a ranked consultation each option also gets points: with up to N places, a first place earns
N points, a second N − 1, and so on (a Borda count), beside how often it was ranked first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from app.choosing.models.consultations import (
    CHANNELS,
    AnswerChoice,
    Consultation,
    ConsultationAnswer,
)
from app.extensions import db

CHANNEL_NAMES = {"online": "Online", "paper": "Paper", "phone": "Phone", "in-person": "In person"}


class ResultsNotPublished(LookupError):
    """The consultation is not closed: its counts are not published."""


@dataclass(frozen=True)
class OptionCount:
    label: str
    idea_id: int | None
    by_channel: dict[str, int]  # channel → answers choosing (or ranking) it
    first_places: int
    points: int

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())


@dataclass(frozen=True)
class ConsultationResults:
    answers: int
    answers_by_channel: dict[str, int]
    options: list[OptionCount]  # most chosen first (most points first when ranked)
    ranked: bool


def consultation_results(consultation: Consultation) -> ConsultationResults:
    """The published counts; raises ResultsNotPublished unless the consultation is closed."""
    if consultation.status != "closed":
        raise ResultsNotPublished(consultation.id)
    # Grouped in SQL: a row per option, channel and place, however many answers there are.
    keys = (AnswerChoice.option_id, ConsultationAnswer.channel, AnswerChoice.rank)
    rows = db.session.execute(
        select(*keys, func.count())
        .join(ConsultationAnswer, ConsultationAnswer.id == AnswerChoice.answer_id)
        .where(ConsultationAnswer.consultation_id == consultation.id)
        .group_by(*keys)
    ).all()
    per_channel = db.session.execute(
        select(ConsultationAnswer.channel, func.count())
        .where(ConsultationAnswer.consultation_id == consultation.id)
        .group_by(ConsultationAnswer.channel)
    ).all()
    chosen: Counter[tuple[int, str]] = Counter()
    firsts: Counter[int] = Counter()
    points: Counter[int] = Counter()
    for option_id, channel, rank, n in rows:
        chosen[(option_id, channel)] += n
        firsts[option_id] += n if rank == 1 else 0
        points[option_id] += n * (consultation.max_choices - rank + 1)
    ranked = consultation.answer_mode == "rank"
    options = [
        OptionCount(
            label=option.label,
            idea_id=option.idea_id,
            by_channel={c: chosen[(option.id, c)] for c in CHANNELS},
            first_places=firsts[option.id],
            points=points[option.id] if ranked else 0,
        )
        for option in consultation.options
    ]
    options.sort(key=lambda o: (-o.points, -o.total) if ranked else (-o.total, -o.first_places))
    by_channel = {channel: 0 for channel in CHANNELS} | dict(per_channel)  # type: ignore[arg-type]
    return ConsultationResults(sum(by_channel.values()), by_channel, options, ranked)


def published_results(consultation: Consultation) -> ConsultationResults | None:
    """The counts of a closed consultation; None while it is a draft or open."""
    try:
        return consultation_results(consultation)
    except ResultsNotPublished:
        return None
