"""The overdue list and councils' reporting records, worked out in SQL.

`overdue.report_states` decides a report's state in Python, pilot by pilot: right for one
pilot's page or a council's worklist, but /overdue and the council directory asked it about
every reporting pilot in the registry, loading each one (10 s for /overdue at 100,000 pilots).
Here the same rules (overdue.py's docstring) are one SELECT: each reporting pilot's due date is
its latest approved extension, or its end plus the programme's or the registry's days; its
deadline is the due date plus the grace period. Only the rows a page shows come back as pilots.
tests/pilots/test_report_queries.py holds both ways to the same answers on varied pilots."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import Select, and_, case, func, literal, not_, or_, select
from sqlalchemy.orm import selectinload

from app.common.pagination import Page
from app.common.sql_dates import days_after_sql
from app.councils.models import Council
from app.extensions import db
from app.pilots import contributions
from app.pilots.models import OutcomeReport, Pilot, ReportExtension
from app.pilots.overdue import REPORTING_STATUSES, ReportingRecord, ReportState

OVERDUE_PER_PAGE = 50
NEVER = date.max  # SQLite's date() is NULL past 9999: a deadline that never comes


def _report_columns() -> Select[Any]:
    """(pilot id, lead council id, due, deadline, reported_on, reported, extended) of every
    reporting pilot with an end date."""
    config = current_app.config
    extended = (
        select(ReportExtension.pilot_id, func.max(ReportExtension.due_date).label("due"))
        .where(ReportExtension.approved_at.is_not(None))
        .group_by(ReportExtension.pilot_id)
        .subquery()
    )
    end = func.coalesce(Pilot.actual_end_date, Pilot.planned_end_date)
    days: Any = literal(int(config["REPORT_DUE_DAYS"]))
    query = select(Pilot.id).select_from(Pilot)
    overrides = contributions.report_due_days_query()
    if overrides is not None:
        override = overrides.subquery()
        query = query.outerjoin(override, override.c.pilot_id == Pilot.id)
        days = func.coalesce(override.c.days, days)
    due = func.coalesce(extended.c.due, days_after_sql(end, days))
    deadline = days_after_sql(due, literal(int(config["REPORT_GRACE_DAYS"])))
    reported = or_(OutcomeReport.id.is_not(None), Pilot.status == "concluded")
    return (
        query.add_columns(
            Pilot.lead_council_id.label("council_id"),
            due.label("due"),
            deadline.label("deadline"),
            OutcomeReport.reported_on.label("reported_on"),
            reported.label("reported"),
            extended.c.due.is_not(None).label("extended"),
        )
        .outerjoin(extended, extended.c.pilot_id == Pilot.id)
        .outerjoin(OutcomeReport, OutcomeReport.pilot_id == Pilot.id)
        .where(Pilot.status.in_(REPORTING_STATUSES), end.is_not(None))
    )


def _conditions(rows: Any, today: date) -> tuple[Any, Any, Any, Any]:
    """SQL for ReportState's reported_by, is_overdue, counts_as_due and late, over `rows`."""
    past_deadline = and_(rows.c.deadline.is_not(None), rows.c.deadline < today)
    reported_by = and_(
        rows.c.reported, or_(rows.c.reported_on.is_(None), rows.c.reported_on <= today)
    )
    late = and_(
        rows.c.reported_on.is_not(None),
        rows.c.deadline.is_not(None),
        rows.c.reported_on > rows.c.deadline,
    )
    return (
        reported_by,
        and_(not_(reported_by), past_deadline),
        or_(reported_by, past_deadline),
        late,
    )


def overdue_page(today: date, page: int = 1) -> Page:
    """One page of pilots whose outcome report is past its grace period, most overdue first
    (then by title); items are (ReportState, days overdue)."""
    items, total = _overdue_states(today, OVERDUE_PER_PAGE, (page - 1) * OVERDUE_PER_PAGE)
    if not items and page > 1:  # past the end: the count alone, for the page links
        rows = _report_columns().subquery()
        _, overdue, _, _ = _conditions(rows, today)
        matching = select(rows.c.id).where(overdue).subquery()
        total = db.session.scalar(select(func.count()).select_from(matching)) or 0
    return Page(items=items, page=page, per_page=OVERDUE_PER_PAGE, total=total)


def overdue_pilots(today: date) -> list[tuple[ReportState, int]]:
    """Every pilot whose outcome report is past its grace period, with days overdue, worst
    first (then by title)."""
    return _overdue_states(today, None, 0)[0]


def _overdue_states(
    today: date, limit: int | None, offset: int
) -> tuple[list[tuple[ReportState, int]], int]:
    """A page of overdue pilots' states, and how many there are in all (counted in the same
    pass over the reporting pilots, by a window function)."""
    rows = _report_columns().add_columns(Pilot.title.label("title")).subquery()
    _, overdue, _, _ = _conditions(rows, today)
    # The page's rows first, ordered from the reporting index alone (it holds the title), then
    # only those pilots loaded whole: sorting whole pilot rows read every overdue one.
    page = db.session.execute(
        select(rows.c.id, rows.c.due, rows.c.deadline, rows.c.reported_on, rows.c.extended)
        .add_columns(func.count().over().label("total"))
        .where(overdue)
        .order_by(rows.c.due, rows.c.title, rows.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    pilots = {
        p.id: p
        for p in db.session.scalars(
            select(Pilot)
            .where(Pilot.id.in_([row[0] for row in page]))
            .options(selectinload(Pilot.lead_council))
        )
    }
    total = page[0].total if page else 0
    items = []
    for pid, due, deadline, reported_on, extended, _ in page:
        pilot = pilots[pid]
        state = ReportState(
            pilot=pilot,
            due_date=due,
            deadline=deadline or NEVER,
            reported_on=reported_on,
            reported=False,
            extended=bool(extended),
        )
        items.append((state, state.days_overdue(today)))
    return items, total


def reporting_records(
    today: date, council_ids: list[int] | None = None
) -> dict[int, ReportingRecord]:
    """Council id → reported ÷ due (and how many late) for the pilots each leads: every
    council's, or only those in `council_ids` (a page of the directory)."""
    columns = _report_columns()
    if council_ids is not None:
        if not council_ids:
            return {}
        columns = columns.where(Pilot.lead_council_id.in_(council_ids))
    rows = columns.subquery()
    reported_by, _, counts_as_due, late = _conditions(rows, today)
    due_rows = (
        select(
            rows.c.council_id,
            func.count().label("due"),
            func.sum(case((reported_by, 1), else_=0)),
            func.sum(case((and_(late, reported_by), 1), else_=0)),
        )
        .where(counts_as_due)
        .group_by(rows.c.council_id)
    )
    return {
        council_id: ReportingRecord(reported=int(reported or 0), due=due, late=int(late or 0))
        for council_id, due, reported, late in db.session.execute(due_rows)
    }


def reporting_record(council: Council, today: date) -> ReportingRecord:
    """One council's reporting record, for its page."""
    return reporting_records(today, [council.id]).get(council.id) or ReportingRecord()
