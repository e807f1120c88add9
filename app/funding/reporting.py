"""When a funded trial's outcome report is due, and whether it has gone quiet.

These stand in for the prove/disprove tracker's overdue service, which is being built alongside;
once it is merged, point `report_due_date`, `days_overdue` and `last_update_at` at it so the
dashboard and /overdue can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.pilots.models import Pilot, PilotEvent

# Registered and running trials owe an outcome report once they end; concluded ones have given
# theirs (with a verdict), stopped ones gave a reason, withdrawn ones never started.
OWES_REPORT = ("registered", "running")
STALE_AFTER_DAYS = 90


def report_due_days(programme_days: Iterable[int | None]) -> int:
    """Days after the end that the report is due: the strictest of the funding programmes'
    conditions, or the registry's REPORT_DUE_DAYS where a programme sets none."""
    default = int(current_app.config["REPORT_DUE_DAYS"])
    return min((d if d is not None else default for d in programme_days), default=default)


def report_due_date(pilot: Pilot, due_days: int) -> date | None:
    """The end date (actual, else planned) + the due days + REPORT_GRACE_DAYS; None if undated."""
    end = pilot.actual_end_date or pilot.planned_end_date
    if end is None:
        return None
    return end + timedelta(days=due_days + int(current_app.config["REPORT_GRACE_DAYS"]))


def days_overdue(pilot: Pilot, due_days: int, today: date) -> int | None:
    """How many days late the outcome report is, or None when it is not overdue."""
    if pilot.status not in OWES_REPORT:
        return None
    due = report_due_date(pilot, due_days)
    if due is None or today <= due:
        return None
    return (today - due).days


def last_update_at(pilots: list[Pilot]) -> dict[int, datetime]:
    """Each pilot's latest sign of life: its own last change or its latest lifecycle event."""
    latest_event = dict(
        db.session.execute(
            select(PilotEvent.pilot_id, func.max(PilotEvent.at))
            .where(PilotEvent.pilot_id.in_([p.id for p in pilots]))
            .group_by(PilotEvent.pilot_id)
        ).all()
    )
    result = {}
    for pilot in pilots:
        event_at = latest_event.get(pilot.id)
        result[pilot.id] = max(pilot.updated_at, event_at) if event_at else pilot.updated_at
    return result


def is_stale(pilot: Pilot, last_update: datetime, now: datetime) -> bool:
    """An active trial with no update and no event for STALE_AFTER_DAYS days."""
    return pilot.status in OWES_REPORT and now - last_update > timedelta(days=STALE_AFTER_DAYS)
