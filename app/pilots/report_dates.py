"""Each reporting pilot's report dates, kept in step with every write.

/overdue and the council directory sorted by reporting record asked about every reporting pilot
in the registry, working out each one's due date on every request (a join of its extensions,
its report and its programmes' conditions: 0.4 s of CPU at 100,000 pilots). The dates only
change when one of those does, so they are worked out then, in the same transaction, and kept
in `report_dates` (models.ReportDates), whose indexes answer both pages by ranges of days:

- the rules are overdue.py's (its docstring), in one SELECT (`_worked_out`) that refreshes the
  rows of the pilots a flush touched, or of all of them (`refresh_all_report_dates`: the
  migration's backfill, the bench generator's bulk load, `flask pilots refresh-report-dates`
  after REPORT_DUE_DAYS or REPORT_GRACE_DAYS change);
- a flush touches a pilot's dates when it writes the pilot, its outcome report or an
  extension, or a row of a table the registered report-due-days query reads (a funding award,
  or a programme whose condition changed: the pilots it funds), found through the foreign keys
  so that pilots never import the domains above it;
- the dates are absolute, so nothing changes when the day rolls over: a page compares them
  with today.

tests/pilots/test_report_dates.py writes every kind of change and compares the stored rows with
the rules worked out from scratch in Python."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import (
    Select,
    Table,
    case,
    delete,
    event,
    func,
    inspect,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors

from app.common.sql_dates import days_after_sql
from app.extensions import db
from app.pilots import contributions
from app.pilots.models import OutcomeReport, Pilot, ReportDates, ReportExtension
from app.pilots.overdue import REPORTING_STATUSES

NEVER, ALWAYS = date.max, date.min
CHUNK = 500  # ids bound into one IN (...)
_installed = False


def _worked_out() -> Select[Any]:
    """(pilot id, lead council, title, due, deadline, reported_on, reported, extended) of every
    reporting pilot with an end date; due and deadline are NULL past year 9999 on SQLite."""
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
    return (
        query.add_columns(
            Pilot.lead_council_id.label("council_id"),
            Pilot.title.label("title"),
            due.label("due"),
            deadline.label("deadline"),
            OutcomeReport.reported_on.label("reported_on"),
            or_(OutcomeReport.id.is_not(None), Pilot.status == "concluded").label("reported"),
            extended.c.due.is_not(None).label("extended"),
        )
        .outerjoin(extended, extended.c.pilot_id == Pilot.id)
        .outerjoin(OutcomeReport, OutcomeReport.pilot_id == Pilot.id)
        .where(Pilot.status.in_(REPORTING_STATUSES), end.is_not(None))
    )


def _clamped(day: Any) -> Any:
    """`day`, or NEVER where it is NULL (SQLite past 9999) or beyond Python's dates (PostgreSQL
    goes on counting): what overdue.py's `days_after` answers."""
    return case((or_(day.is_(None), day > NEVER), literal(NEVER)), else_=day)


def _earlier(one: Any, other: Any) -> Any:
    return case((one <= other, one), else_=other)


def _rows(pilot_ids: list[int] | None) -> Select[Any]:
    """The report_dates rows of these pilots (or all), from the rules."""
    query = _worked_out()
    if pilot_ids is not None:
        query = query.where(Pilot.id.in_(pilot_ids))
    worked = query.subquery()
    deadline = _clamped(worked.c.deadline)
    dated = select(
        worked.c.id.label("pilot_id"),
        worked.c.council_id,
        worked.c.title,
        _clamped(worked.c.due).label("due_on"),
        deadline.label("deadline"),
        worked.c.reported_on,
        case((worked.c.reported, func.coalesce(worked.c.reported_on, ALWAYS)), else_=NEVER).label(
            "reported_from"
        ),
        # A report filed after the deadline is late (none filed: not late).
        func.coalesce(worked.c.reported_on > deadline, False).label("late"),
        worked.c.extended,
    ).subquery()
    past_deadline = case(
        (dated.c.deadline < NEVER, _clamped(days_after_sql(dated.c.deadline, 1))), else_=NEVER
    )
    return select(
        *(dated.c[name] for name in ("pilot_id", "council_id", "title", "due_on", "deadline")),
        dated.c.reported_on,
        dated.c.reported_from,
        _earlier(dated.c.reported_from, past_deadline).label("counted_from"),
        dated.c.late,
        dated.c.extended,
    )


COLUMNS = (
    "pilot_id", "council_id", "title", "due_on", "deadline", "reported_on", "reported_from",
    "counted_from", "late", "extended",
)  # fmt: skip


def _refresh(connection: Connection, pilot_ids: list[int]) -> None:
    """Rewrite these pilots' rows: an upsert (two new rows for one pilot never collide on its
    key) and the removal of those that no longer owe a report."""
    table = ReportDates.__table__
    if connection.dialect.name == "postgresql":
        # Wait for any other transaction writing these pilots, so that the statements below
        # (each with a fresh snapshot under READ COMMITTED) see what it committed: two writers
        # of one pilot's award and end date must not each store dates missing the other's.
        locked = select(Pilot.id).where(Pilot.id.in_(pilot_ids)).order_by(Pilot.id)
        connection.execute(locked.with_for_update())
    rows = _rows(pilot_ids)
    owing = select(rows.subquery().c.pilot_id)
    connection.execute(
        delete(table).where(table.c.pilot_id.in_(pilot_ids), table.c.pilot_id.not_in(owing))
    )
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    # SQLite reads `SELECT … FROM x ON CONFLICT` as a join's ON unless the SELECT has a WHERE.
    upsert = dialect.insert(table).from_select(COLUMNS, rows.where(true()))
    connection.execute(
        upsert.on_conflict_do_update(
            index_elements=[table.c.pilot_id],
            set_={name: upsert.excluded[name] for name in COLUMNS[1:]},
        )
    )


def refresh_report_dates(connection: Connection, pilot_ids: Iterable[int]) -> None:
    """Work out these pilots' report dates again, in the caller's transaction."""
    ids = sorted(set(pilot_ids))
    for start in range(0, len(ids), CHUNK):
        _refresh(connection, ids[start : start + CHUNK])


def refresh_all_report_dates() -> int:
    """Work out every pilot's report dates from scratch, in the session's transaction (the
    caller commits); how many pilots owe a report."""
    connection = db.session.connection()
    connection.execute(delete(ReportDates.__table__))
    connection.execute(ReportDates.__table__.insert().from_select(COLUMNS, _rows(None)))
    return db.session.scalar(select(func.count()).select_from(ReportDates)) or 0


def _due_days_tables() -> frozenset[Table]:
    """The tables the registered report-due-days query reads, other than pilots (the same for
    the app's life: worked out once)."""
    cache = current_app.extensions.setdefault("pilots.report_dates", {})
    if "tables" not in cache:
        query = contributions.report_due_days_query()
        found = (
            {t for t in visitors.iterate(query) if isinstance(t, Table)}
            if query is not None
            else set()
        )
        cache["tables"] = frozenset(found - {Pilot.__table__})
    return cache["tables"]  # type: ignore[no-any-return]


def _pilot_columns(table: Table) -> list[Any]:
    return [c for c in table.c if any(fk.column.table is Pilot.__table__ for fk in c.foreign_keys)]


def _ids_in_columns(obj: Any, columns: list[Any]) -> set[int]:
    """The pilot ids in these columns of a row, as it is and as it was before this flush (an
    award given to another pilot changes the first one's due date too; moved through the
    relationship, the old id is only in the relationship's history)."""
    state: Any = inspect(obj)
    ids: set[int] = set()
    for column in columns:
        key = state.mapper.get_property_by_column(column).key
        ids |= {getattr(obj, key), *state.attrs[key].history.deleted}
    for relationship in state.mapper.relationships:
        if relationship.mapper.class_ is Pilot and relationship.local_columns & set(columns):
            ids |= {p.id for p in state.attrs[relationship.key].history.deleted if p is not None}
    return {i for i in ids if i is not None}


def _funded_through(obj: Any, tables: frozenset[Table]) -> list[Select[Any]]:
    """Queries for the pilots linked to a row of a table without a pilot column (a programme)
    by another table the due-days query reads (its awards)."""
    mapper = inspect(obj).mapper
    queries = []
    for link in tables:
        pilot_columns = _pilot_columns(link)
        for column in link.c if pilot_columns else ():
            for fk in column.foreign_keys:
                if fk.column.table is mapper.local_table:
                    key = mapper.get_property_by_column(fk.column).key
                    queries.append(select(pilot_columns[0]).where(column == getattr(obj, key)))
    return queries


def touched_pilot_ids(session: Session) -> set[int]:
    """The pilots whose report dates this flush may have changed."""
    tables = _due_days_tables()
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Pilot):
            ids.add(obj.id)
        elif isinstance(obj, OutcomeReport | ReportExtension):
            ids |= _ids_in_columns(obj, _pilot_columns(obj.__table__))
        elif (table := inspect(obj).mapper.local_table) in tables:
            pilot_columns = _pilot_columns(table)
            if pilot_columns:
                ids |= _ids_in_columns(obj, pilot_columns)
            else:
                for linked in _funded_through(obj, tables):
                    ids |= set(session.connection().scalars(linked))
    return {i for i in ids if i is not None}


def _after_flush(session: Session, flush_context: Any) -> None:
    if not has_app_context() or not session.info.get("report_dates", True):
        return
    ids = touched_pilot_ids(session)
    if ids:
        refresh_report_dates(session.connection(), ids)


def install() -> None:
    """Refresh report dates after every flush of every session (once per process). A bulk
    load that refreshes them all itself sets `session.info["report_dates"] = False`."""
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _after_flush)
        _installed = True
