"""A funded trial's outcome report and signs of life, from the tracker's overdue service, so the
dashboard and /overdue can never disagree; programmes' own report conditions feed that service."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.funding.models import Award, Programme
from app.pilots.models import Pilot, PilotEvent, ProgressUpdate
from app.pilots.overdue import ReportState, report_states

# Registered and running trials owe an outcome report once they end; concluded ones have given
# theirs (with a verdict), stopped ones gave a reason, withdrawn ones never started.
OWES_REPORT = ("registered", "running")
STALE_AFTER_DAYS = 90


def report_due_days_by_pilot(pilot_ids: list[int]) -> dict[int, int]:
    """Pilot id → days after the end its report is due, for pilots whose funding programmes set
    a condition: the strictest (smallest) of them. Registered as the tracker's source."""
    rows = db.session.execute(
        select(Award.pilot_id, func.min(Programme.report_due_days))
        .join(Programme, Programme.id == Award.programme_id)
        .where(Award.pilot_id.in_(pilot_ids), Programme.report_due_days.is_not(None))
        .group_by(Award.pilot_id)
    ).all()
    return {pilot_id: int(days) for pilot_id, days in rows if days is not None}


def report_states_by_pilot(pilots: list[Pilot]) -> dict[int, ReportState]:
    return {state.pilot.id: state for state in report_states(pilots)}


def days_overdue(state: ReportState | None, today: date) -> int | None:
    """How many days late the outcome report is, or None when it is not overdue."""
    if state is None or not state.is_overdue(today):
        return None
    return state.days_overdue(today)


def last_update_at(pilots: list[Pilot]) -> dict[int, datetime]:
    """Each pilot's latest sign of life: a progress update or a lifecycle event (registration
    counts), never a mere edit of its description."""
    ids = [p.id for p in pilots]
    latest_event = dict(
        db.session.execute(
            select(PilotEvent.pilot_id, func.max(PilotEvent.at))
            .where(PilotEvent.pilot_id.in_(ids))
            .group_by(PilotEvent.pilot_id)
        ).all()
    )
    latest_update = dict(
        db.session.execute(
            select(ProgressUpdate.pilot_id, func.max(ProgressUpdate.on))
            .where(ProgressUpdate.pilot_id.in_(ids))
            .group_by(ProgressUpdate.pilot_id)
        ).all()
    )
    result = {}
    for pilot in pilots:
        signs = [latest_event.get(pilot.id), pilot.registered_at]
        if pilot.id in latest_update:
            signs.append(datetime.combine(latest_update[pilot.id], time(), tzinfo=UTC))
        known = [s if s.tzinfo else s.replace(tzinfo=UTC) for s in signs if s is not None]
        result[pilot.id] = max(known) if known else pilot.created_at
    return result


def is_stale(pilot: Pilot, last_update: datetime, now: datetime) -> bool:
    """An active trial with no update and no event for STALE_AFTER_DAYS days."""
    return pilot.status in OWES_REPORT and now - last_update > timedelta(days=STALE_AFTER_DAYS)
