"""Outcome reports that are due, overdue or late, and each council's reporting record.

A report is due REPORT_DUE_DAYS after the actual end date (or the planned end date where there
is none), or on the date of the latest approved extension. It is overdue once the
REPORT_GRACE_DAYS grace period after that has passed; days overdue count from the due date.
A report filed after the grace period is counted as late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.common.dates import days_after
from app.common.db_types import utcnow
from app.common.pagination import Page
from app.councils.models import Council
from app.extensions import db
from app.pilots import contributions
from app.pilots.models import OutcomeReport, Pilot, ProgressUpdate, ReportExtension
from app.pilots.service import councils_with_pilots_led

REPORTING_STATUSES = ("registered", "running", "concluded")
STATUS_UNKNOWN_AFTER = timedelta(days=365)


@dataclass
class ReportState:
    pilot: Pilot
    due_date: date
    deadline: date
    reported_on: date | None
    reported: bool
    extended: bool

    def reported_by(self, today: date) -> bool:
        return self.reported and (self.reported_on is None or self.reported_on <= today)

    def is_overdue(self, today: date) -> bool:
        return not self.reported_by(today) and today > self.deadline

    def days_overdue(self, today: date) -> int:
        return (today - self.due_date).days

    @property
    def late(self) -> bool:
        return self.reported_on is not None and self.reported_on > self.deadline

    def counts_as_due(self, today: date) -> bool:
        return self.reported_by(today) or today > self.deadline


@dataclass
class ReportingRecord:
    reported: int = 0
    due: int = 0
    late: int = 0

    @property
    def rate(self) -> float | None:
        return self.reported / self.due if self.due else None


def _settings() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return timedelta(days=config["REPORT_DUE_DAYS"]), timedelta(days=config["REPORT_GRACE_DAYS"])


def _due_after_overrides(ids: list[int]) -> dict[int, int]:
    """Days after the end that a report is due, where something other than the registry's
    default sets it: funding programmes' conditions (registered by the funding domain)."""
    return contributions.report_due_days(ids)


def report_states(pilots: list[Pilot]) -> list[ReportState]:
    """The report state of each pilot that owes an outcome report and has an end date."""
    ids = [p.id for p in pilots]
    overrides = _due_after_overrides(ids)
    outcomes = {
        o.pilot_id: o
        for o in db.session.scalars(select(OutcomeReport).where(OutcomeReport.pilot_id.in_(ids)))
    }
    extended: dict[int, date] = {}
    for ext in db.session.scalars(
        select(ReportExtension).where(
            ReportExtension.pilot_id.in_(ids), ReportExtension.approved_at.is_not(None)
        )
    ):
        extended[ext.pilot_id] = max(ext.due_date, extended.get(ext.pilot_id, ext.due_date))
    due_after, grace = _settings()
    states = []
    for pilot in pilots:
        end = pilot.actual_end_date or pilot.planned_end_date
        if pilot.status not in REPORTING_STATUSES or end is None:
            continue
        days = overrides.get(pilot.id)
        after = due_after if days is None else timedelta(days=days)
        due = extended.get(pilot.id) or days_after(end, after)
        outcome = outcomes.get(pilot.id)
        states.append(
            ReportState(
                pilot=pilot,
                due_date=due,
                deadline=days_after(due, grace),
                reported_on=outcome.reported_on if outcome else None,
                # A pilot imported as concluded reported before the registry kept reports.
                reported=outcome is not None or pilot.status == "concluded",
                extended=pilot.id in extended,
            )
        )
    return states


def report_state(pilot: Pilot) -> ReportState | None:
    states = report_states([pilot])
    return states[0] if states else None


def status_unknown(pilot: Pilot, today: date) -> bool:
    """Still running a year past its planned end, with no progress update in that year."""
    if pilot.status != "running" or pilot.planned_end_date is None:
        return False
    if today <= days_after(pilot.planned_end_date, STATUS_UNKNOWN_AFTER):
        return False
    latest = db.session.scalar(
        select(ProgressUpdate.on)
        .where(ProgressUpdate.pilot_id == pilot.id)
        .order_by(ProgressUpdate.on.desc())
        .limit(1)
    )
    return latest is None or latest <= today - STATUS_UNKNOWN_AFTER


class ExtensionError(ValueError):
    """The extension cannot be granted; the message says why."""


def grant_extension(
    pilot: Pilot, due_date: date, reason: str, approver: User | None
) -> ReportExtension:
    """Approve a later due date for the pilot's outcome report."""
    state = report_state(pilot)
    if state is None or state.reported:
        raise ExtensionError("This pilot does not owe an outcome report")
    if due_date <= state.due_date:
        raise ExtensionError(f"The new due date must be after {state.due_date:%-d %B %Y}")
    if not reason.strip():
        raise ExtensionError("Give the reason for the extension")
    extension = ReportExtension(
        pilot_id=pilot.id,
        due_date=due_date,
        reason=reason.strip(),
        approved_by_id=approver.id if approver else None,
        approved_at=utcnow(),
    )
    db.session.add(extension)
    db.session.commit()
    return extension


def _reporting_sort_key(
    council: Council, record: ReportingRecord | None
) -> tuple[int, float, int, int, str]:
    if record is None or not record.due:
        return (1, 0.0, 0, 0, council.nice_name)
    return (0, -(record.rate or 0.0), record.late, -record.due, council.nice_name)


def council_directory_by_reporting(
    records: dict[int, ReportingRecord], nation: str | None, la_type: str | None, page: int = 1
) -> Page:
    """The council directory ordered by reporting record: best rate first, fewer late reports
    breaking ties; councils with no report yet due come last. Items are (council, pilots led)."""
    rows = [
        (council, led)
        for council, led in db.session.execute(councils_with_pilots_led(nation, la_type))
    ]
    rows.sort(key=lambda row: _reporting_sort_key(row[0], records.get(row[0].id)))
    per_page = 50
    return Page(
        items=rows[(page - 1) * per_page : page * per_page],
        page=page,
        per_page=per_page,
        total=len(rows),
    )
