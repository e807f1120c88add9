"""The overdue list and reporting records worked out in SQL (report_queries.py) say what the
rules worked out pilot by pilot in Python (overdue.report_states) say, on a registry of every
status, end date, extension, late report and programme condition the generator makes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.pilots import report_queries
from app.pilots.models import Pilot
from app.pilots.overdue import REPORTING_STATUSES, ReportingRecord, report_states
from bench.registry import TODAY, generate
from tests.conftest import FIXTURES
from tests.factories import create_council, create_pilot

DAYS = [TODAY - timedelta(days=400), TODAY, TODAY + timedelta(days=200)]


@pytest.fixture
def registry(app_ctx):
    generate(400, FIXTURES / "councils.csv")
    # One that ends in 9999: its report is never due (SQLite's date() gives NULL past 9999).
    create_pilot(create_council(), status="running", planned_end_date=date(9999, 12, 31))
    return app_ctx


def _by_python(today: date) -> tuple[list[tuple[str, int]], dict[int, ReportingRecord]]:
    pilots = list(db.session.scalars(select(Pilot).where(Pilot.status.in_(REPORTING_STATUSES))))
    states = report_states(pilots)
    overdue = sorted(
        (
            (s.pilot.title, s.pilot.slug, s.days_overdue(today))
            for s in states
            if s.is_overdue(today)
        ),
        key=lambda row: (-row[2], row[0]),
    )
    records: dict[int, ReportingRecord] = defaultdict(ReportingRecord)
    for state in states:
        if state.counts_as_due(today):
            record = records[state.pilot.lead_council_id]
            record.due += 1
            record.reported += state.reported_by(today)
            record.late += state.late and state.reported_by(today)
    return [(slug, days) for _, slug, days in overdue], dict(records)


@pytest.mark.parametrize("today", DAYS)
def test_sql_and_python_agree_on_overdue_reports_and_reporting_records(registry, today):
    overdue, records = _by_python(today)
    assert [(s.pilot.slug, days) for s, days in report_queries.overdue_pilots(today)] == overdue
    assert report_queries.reporting_records(today) == records
    if today == TODAY:  # the generated registry has some of each
        assert len(overdue) > 20 and any(r.late for r in records.values())
    first = report_queries.overdue_page(today, 1)
    assert first.total == len(overdue)
    assert [(s.pilot.slug, d) for s, d in first.items] == overdue[: first.per_page]
    council_ids = list(records)[:2]
    some = report_queries.reporting_records(today, council_ids)
    assert some == {c: records[c] for c in council_ids}
