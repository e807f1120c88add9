"""A funded trial's outcome report and signs of life, from the tracker's overdue service, so the
dashboard and /overdue can never disagree; programmes' own report conditions feed that service."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db
from app.funding.models import Award, Programme

# The "no update" rule lives with progress updates, so an editor's list of pilots and this
# dashboard agree on which trials have gone quiet.
from app.pilots.updates import STALE_AFTER_DAYS as STALE_AFTER_DAYS
from app.pilots.updates import quiet_pilots as quiet_pilots

# Registered and running trials owe an outcome report once they end; concluded ones have given
# theirs (with a verdict), stopped ones gave a reason, withdrawn ones never started.
OWES_REPORT = ("registered", "running")


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


def report_due_days_query() -> Select[*tuple[Any, ...]]:
    """The same overrides as `report_due_days_by_pilot`, for every pilot at once, as a SELECT
    of (pilot_id, days) that the tracker's listings join."""
    return (
        select(Award.pilot_id, func.min(Programme.report_due_days).label("days"))
        .join(Programme, Programme.id == Award.programme_id)
        .where(Programme.report_due_days.is_not(None))
        .group_by(Award.pilot_id)
    )
