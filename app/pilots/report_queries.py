"""The overdue list and councils' reporting records, read from the stored report dates.

`overdue.report_states` decides a report's state in Python, pilot by pilot: right for one
pilot's page or a council's worklist, but /overdue and the council directory asked it about
every reporting pilot in the registry (10 s for /overdue at 100,000 pilots), and then one SQL
statement did the same for every pilot on every request (0.4 s). report_dates.py now keeps
each reporting pilot's dates as they change, so both pages are ranges of an index: the overdue
page reads its 50 rows in the order shown (and counts the rest from the same index), a
reporting record counts a council's index entries up to today.
tests/pilots/test_report_queries.py holds both ways to the same answers on varied pilots."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from app.common.pagination import Page
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import Pilot, ReportDates
from app.pilots.overdue import ReportingRecord, ReportState
from app.pilots.report_dates import NEVER

OVERDUE_PER_PAGE = 50


def is_overdue(dates: Any, today: date) -> Any:
    """SQL: past the deadline and not reported by today, over `report_dates` (ReportDates) or
    a subquery with its `deadline` and `reported_from` columns."""
    return and_(dates.deadline < today, dates.reported_from > today)


def is_due(dates: Any, today: date) -> Any:
    """SQL: the report's due date has come and it is not reported by today."""
    return and_(dates.due_on <= today, dates.reported_from > today)


def _overdue(today: date) -> Any:
    return is_overdue(ReportDates, today)


def overdue_page(today: date, page: int = 1) -> Page:
    """One page of pilots whose outcome report is past its grace period, most overdue first
    (then by title); items are (ReportState, days overdue)."""
    items = _overdue_states(today, OVERDUE_PER_PAGE, (page - 1) * OVERDUE_PER_PAGE)
    total = db.session.scalar(select(func.count()).where(_overdue(today))) or 0
    return Page(items=items, page=page, per_page=OVERDUE_PER_PAGE, total=total)


def overdue_pilots(today: date) -> list[tuple[ReportState, int]]:
    """Every pilot whose outcome report is past its grace period, with days overdue, worst
    first (then by title)."""
    return _overdue_states(today, None, 0)


def _overdue_states(today: date, limit: int | None, offset: int) -> list[tuple[ReportState, int]]:
    """A page of overdue pilots' states: the rows in the order shown from the overdue index
    (the deadline orders as the due date does), then only those pilots loaded whole."""
    page = db.session.execute(
        select(
            ReportDates.pilot_id,
            ReportDates.due_on,
            ReportDates.deadline,
            ReportDates.reported_on,
            ReportDates.reported_from,
            ReportDates.extended,
        )
        .where(_overdue(today))
        .order_by(ReportDates.deadline, ReportDates.title, ReportDates.pilot_id)
        .limit(limit)
        .offset(offset)
    ).all()
    pilots = {
        p.id: p
        for p in db.session.scalars(
            select(Pilot)
            .where(Pilot.id.in_([row.pilot_id for row in page]))
            .options(selectinload(Pilot.lead_council))
        )
    }
    items = []
    for row in page:
        state = ReportState(
            pilot=pilots[row.pilot_id],
            due_date=row.due_on,
            deadline=row.deadline,
            reported_on=row.reported_on,
            reported=row.reported_from < NEVER,  # filed, but dated after today
            extended=bool(row.extended),
        )
        items.append((state, state.days_overdue(today)))
    return items


def reporting_records(
    today: date, council_ids: list[int] | None = None
) -> dict[int, ReportingRecord]:
    """Council id → reported ÷ due (and how many late) for the pilots each leads: every
    council's, or only those in `council_ids` (a page of the directory). Two counts of index
    entries per council: those that count as due by today, and those reported by today."""
    if council_ids is not None and not council_ids:
        return {}
    counted = select(ReportDates.council_id, func.count()).where(ReportDates.counted_from <= today)
    reported = select(
        ReportDates.council_id, func.count(), func.sum(case((ReportDates.late, 1), else_=0))
    ).where(ReportDates.reported_from <= today)
    if council_ids is not None:
        counted = counted.where(ReportDates.council_id.in_(council_ids))
        reported = reported.where(ReportDates.council_id.in_(council_ids))
    records = {
        council_id: ReportingRecord(due=due)
        for council_id, due in db.session.execute(counted.group_by(ReportDates.council_id))
    }
    for council_id, count, late in db.session.execute(reported.group_by(ReportDates.council_id)):
        record = records[council_id]  # reported by today counts as due by today
        record.reported, record.late = count, int(late or 0)
    return records


def reporting_record(council: Council, today: date) -> ReportingRecord:
    """One council's reporting record, for its page."""
    return reporting_records(today, [council.id]).get(council.id) or ReportingRecord()
