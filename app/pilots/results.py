"""Outcome reports and verdicts: the registry proposes, the editor confirms or overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.auth import service as auth_service
from app.auth.models import User
from app.common.conflicts import lock_row
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots.events import record_event
from app.pilots.lifecycle import TransitionError
from app.pilots.models import VERDICTS, OutcomeReport, Pilot, SuccessMeasure


class OutcomeError(TransitionError):
    """The outcome report cannot be accepted; `problems` maps each field to how to fix it."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def check_can_report(pilot: Pilot) -> None:
    """Only a running pilot reports its outcome (which concludes it)."""
    if pilot.status != "running":
        raise TransitionError(
            f"This pilot is {pilot.status}; only a running pilot reports its outcome"
        )


def can_report(user: User | None, pilot: Pilot) -> bool:
    """Whether the results page offers this user the form."""
    return pilot.status == "running" and auth_service.can_edit_for_council(
        user, pilot.lead_council_id
    )


def met_target(measure: SuccessMeasure, value: Decimal | None) -> bool:
    if value is None:
        return False
    return value >= measure.target if measure.direction == "higher" else value <= measure.target


def crossed_threshold(measure: SuccessMeasure, value: Decimal | None) -> bool:
    if value is None:
        return False
    if measure.direction == "higher":
        return value <= measure.disproved_if
    return value >= measure.disproved_if


def propose_verdict(values: list[tuple[SuccessMeasure, Decimal | None]]) -> str:
    """From the pre-registered primary measures only: any crossed its disproved-if threshold →
    disproved; all met their targets → proved; otherwise inconclusive."""
    primary = [(m, v) for m, v in values if m.kind == "primary" and not m.post_hoc]
    if not primary:
        return "inconclusive"
    if any(crossed_threshold(m, v) for m, v in primary):
        return "disproved"
    if all(met_target(m, v) for m, v in primary):
        return "proved"
    return "inconclusive"


@dataclass
class MeasuredValue:
    measure: SuccessMeasure
    value: Decimal | None
    on: date | None
    evidence_url: str = ""
    evidence_description: str = ""


@dataclass
class OutcomeData:
    values: list[MeasuredValue]
    narrative: str
    advice: str
    verdict: str
    justification: str = ""
    actual_end_date: date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def proposed_verdict(self) -> str:
        """The verdict the registry proposes from these values."""
        return propose_verdict([(v.measure, v.value) for v in self.values])


def outcome_problems(pilot: Pilot, data: OutcomeData, today: date) -> dict[str, str]:
    """Field → how to fix it; an override of the proposed verdict needs a justification, and
    nothing may be dated in the future (it would push the report's due date out)."""
    errors: dict[str, str] = {}
    for measured in data.values:
        if measured.on and measured.on > today:
            errors[f"on_{measured.measure.id}"] = "The date measured cannot be in the future"
    if data.verdict not in VERDICTS:
        errors["verdict"] = "Choose the verdict: proved, disproved or inconclusive"
    proposed = data.proposed_verdict()
    if data.verdict in VERDICTS and data.verdict != proposed and not data.justification.strip():
        errors["justification"] = (
            f"The registry proposes {proposed}; explain why the verdict is {data.verdict}"
        )
    if not data.narrative.strip():
        errors["narrative"] = "Say what was learnt"
    end = data.actual_end_date
    if end and pilot.start_date and end < pilot.start_date:
        errors["actual_end_date"] = "The actual end date must be on or after the start date"
    elif end and end > today:
        errors["actual_end_date"] = "The actual end date cannot be in the future"
    return errors


def outcome_of(pilot: Pilot) -> OutcomeReport | None:
    return db.session.scalar(select(OutcomeReport).where(OutcomeReport.pilot_id == pilot.id))


def conclude_pilot(pilot: Pilot, data: OutcomeData, actor: User | None, today: date) -> Pilot:
    """Record the results, conclude the pilot with its verdict, and say so in the events feed."""
    lock_row(pilot)
    check_can_report(pilot)
    problems = outcome_problems(pilot, data, today)
    if problems:
        raise OutcomeError(problems)
    for measured in data.values:
        measure = measured.measure
        measure.result_value, measure.result_date = measured.value, measured.on
        measure.evidence_url = measured.evidence_url
        measure.evidence_description = measured.evidence_description
    proposed = data.proposed_verdict()
    db.session.add(
        OutcomeReport(
            pilot_id=pilot.id,
            narrative=data.narrative.strip(),
            advice=data.advice.strip(),
            proposed_verdict=proposed,
            verdict=data.verdict,
            justification=data.justification.strip() if data.verdict != proposed else "",
            reported_on=today,
            author_id=actor.id if actor else None,
        )
    )
    pilot.status, pilot.verdict = "concluded", data.verdict
    pilot.actual_end_date = data.actual_end_date or pilot.actual_end_date or today
    pilot.updated_at, pilot.updated_by = utcnow(), actor
    record_event(
        pilot,
        "concluded",
        actor,
        f"Concluded, {data.verdict}: {pilot.title}",
        verdict=data.verdict,
        proposed_verdict=proposed,
    )
    db.session.commit()
    return pilot
