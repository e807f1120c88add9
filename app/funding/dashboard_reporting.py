"""The dashboard's reporting section: overdue outcome reports, each council's reporting record
and trials gone quiet, worked out in SQL over the funded trials in scope.

They used to load every funded trial and decide each one's report state in Python (3.6 s at
100,000 pilots, 11,000 of them funded). Now the report state is read from the dates /overdue
reads (pilots/report_dates.py keeps them on every write), the signs of life are the worklist's
(updates.quiet_pilots), and only the rows a page shows come back as pilots: the lists show their
first LISTED rows, worst first, with how many there are in all; their CSV downloads hold every
row."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from app.common.figures.tables import Column, PilotRef, Table
from app.councils.models import Council
from app.extensions import db
from app.funding import reporting
from app.funding.models import Award
from app.funding.scope import DashboardFilters, awarded_pilot_ids, scoped
from app.pilots import report_queries
from app.pilots.models import Pilot, ReportDates

LISTED = 50  # rows of a list shown on the page; its CSV holds them all


def _pilots(ids: list[int]) -> dict[int, Pilot]:
    return {
        p.id: p
        for p in db.session.scalars(
            select(Pilot).where(Pilot.id.in_(ids)).options(selectinload(Pilot.lead_council))
        )
    }


def _report_states(filters: DashboardFilters, today: date) -> tuple[Any, Any, Any]:
    """The report state of each funded trial in scope (/overdue's SELECT, for these pilots),
    with the money of its awards in scope; the money by funded trial; and the SQL condition
    "its report is overdue"."""
    money = (
        scoped(
            select(
                Award.pilot_id,
                func.sum(Award.amount_awarded_pence).label("awarded"),
                func.sum(Award.amount_disbursed_pence).label("disbursed"),
            ),
            filters,
        )
        .group_by(Award.pilot_id)
        .subquery()
    )
    states = (
        select(
            ReportDates.pilot_id.label("id"),
            ReportDates.due_on.label("due"),
            ReportDates.deadline,
            ReportDates.reported_from,
            ReportDates.title,
            money.c.awarded,
            money.c.disbursed,
        )
        .join(money, money.c.pilot_id == ReportDates.pilot_id)
        .subquery()
    )
    overdue = report_queries.is_overdue(states.c, today)
    return money, states, overdue


def overdue_reports(filters: DashboardFilters, today: date, limit: int | None = LISTED) -> Table:
    """Funded trials whose outcome report is past its grace period: the same rule, due dates
    and extensions as /overdue, with the money at stake; the most overdue first. The total
    row counts them all and the money at stake, however many are listed."""
    _, states, overdue = _report_states(filters, today)
    undisbursed = states.c.awarded - states.c.disbursed
    found = db.session.execute(
        select(
            states.c.id,
            states.c.due,
            states.c.awarded,
            undisbursed,
            func.count().over(),
            func.sum(states.c.awarded).over(),
            func.sum(undisbursed).over(),
            # What a row shows of its trial, in the same statement (the CSV holds thousands).
            Pilot.title,
            Pilot.slug,
            Council.nice_name,
            Pilot.actual_end_date,
            Pilot.planned_end_date,
        )
        .join(Pilot, Pilot.id == states.c.id)
        .join(Council, Council.id == Pilot.lead_council_id)
        .where(overdue)
        .order_by(states.c.due, states.c.title, states.c.id)
        .limit(limit)
    ).all()
    rows: list[list[Any]] = []
    for _, due, awarded, not_disbursed, _n, _a, _d, title, slug, council, ended, planned in found:
        rows.append(
            [
                PilotRef(title, slug),
                council,
                # A trial still running has not ended: its planned end is a column of its own.
                ended,
                planned,
                due,
                (today - due).days,
                int(awarded),
                int(not_disbursed),
            ]
        )
    count, at_stake, not_disbursed = found[0][4:7] if found else (0, 0, 0)
    return Table(
        "overdue",
        "Overdue outcome reports",
        [
            Column("pilot", "Trial", "pilot"),
            Column("lead_council", "Lead council"),
            Column("end_date", "Ended", "date"),
            Column("planned_end_date", "Planned end", "date"),
            Column("report_due", "Report due", "date"),
            Column("days_overdue", "Days overdue", "count"),
            Column("awarded_gbp", "Amount awarded (at stake)", "money"),
            Column("undisbursed_gbp", "Not yet disbursed", "money"),
        ],
        rows,
        total=["Total", None, None, None, None, None, int(at_stake), int(not_disbursed)],
        empty_message="No outcome reports are overdue.",
        total_rows=int(count),
    )


def council_reporting_record(
    filters: DashboardFilters, today: date, limit: int | None = LISTED
) -> Table:
    """For each lead council: funded trials, and how many have reported, are overdue, are not
    yet due, or ended early (stopped or withdrawn); the four add up to the trials. Counted by
    one GROUP BY over the funded trials. All of them by name; or the first `limit`, those with
    the most overdue reports first."""
    money, _, _ = _report_states(filters, today)
    # Each funded trial's kept report dates by its id (not through the states subquery, which
    # SQLite would evaluate again for every trial: 130 ms of the page at 10,000 pilots).
    overdue = report_queries.is_overdue(ReportDates, today)
    owes = Pilot.status.in_(reporting.OWES_REPORT)
    counts = (
        select(
            Council.nice_name,
            func.count(),
            func.sum(case((Pilot.status == "concluded", 1), else_=0)),
            func.sum(case((and_(owes, overdue), 1), else_=0)),
            func.sum(case((owes, 1), else_=0)),
        )
        .select_from(money)
        .join(Pilot, Pilot.id == money.c.pilot_id)
        .join(Council, Council.id == Pilot.lead_council_id)
        .outerjoin(ReportDates, ReportDates.pilot_id == money.c.pilot_id)
        .group_by(Council.nice_name)
    )
    rows = []
    for name, trials, reported, late, owing in db.session.execute(counts):
        reported, late, owing = int(reported or 0), int(late or 0), int(owing or 0)
        rows.append([name, trials, reported, late, owing - late, trials - reported - owing])
    rows.sort(key=lambda row: row[0])
    listed = rows
    if limit is not None:
        listed = sorted(rows, key=lambda row: -row[3])[:limit]
    return Table(
        "council-record",
        "Each council's reporting record",
        [
            Column("council", "Lead council"),
            Column("trials", "Funded trials", "count"),
            Column("reported", "Reported", "count"),
            Column("overdue", "Overdue", "count"),
            Column("not_yet_due", "Not yet due", "count"),
            Column("ended_early", "Stopped or withdrawn", "count"),
        ],
        listed,
        empty_message="No funded trials.",
        total_rows=len(rows),
    )


def trials_without_update(
    filters: DashboardFilters, now: datetime, limit: int | None = LISTED
) -> Table:
    """Registered and running funded trials with no update or event for STALE_AFTER_DAYS,
    the quietest first."""
    quiet = reporting.quiet_pilots(now, Pilot.id.in_(awarded_pilot_ids(filters)))
    found = db.session.execute(quiet.add_columns(func.count().over()).limit(limit)).all()
    pilots = _pilots([row[0] for row in found])
    rows: list[list[Any]] = []
    for pid, last, _ in found:
        p = pilots[pid]
        rows.append(
            [
                PilotRef(p.title, p.slug),
                p.lead_council.nice_name,
                p.status.capitalize(),
                last.date(),
                (now - last).days,
            ]
        )
    return Table(
        "no-update",
        f"Trials with no update for {reporting.STALE_AFTER_DAYS} days",
        [
            Column("pilot", "Trial", "pilot"),
            Column("lead_council", "Lead council"),
            Column("status", "Status"),
            Column("last_update", "Last update", "date"),
            Column("days_since_update", "Days since", "count"),
        ],
        rows,
        empty_message="Every active funded trial has been updated in the last 90 days.",
        total_rows=found[0][-1] if found else 0,
    )
