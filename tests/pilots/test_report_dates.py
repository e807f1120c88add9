"""The stored report dates (report_dates.py) stay what the rules give, worked out from scratch
in Python (overdue.report_states), after every kind of write that can change them: a pilot's
status, end dates, title or lead council, its outcome report, an extension, a funding award
(given, moved, taken away), a programme's report condition, a deleted pilot; and after a bulk
load and the migration that fills them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from app.extensions import db
from app.pilots.lifecycle import change_status
from app.pilots.models import Pilot, ReportDates
from app.pilots.overdue import grant_extension, report_states
from app.pilots.report_dates import refresh_all_report_dates
from bench.registry import generate
from tests.conftest import FIXTURES
from tests.factories import (
    create_award,
    create_council,
    create_outcome,
    create_pilot,
    create_programme,
    create_registered_pilot,
)

BEFORE = "search_0003"


def _from_scratch() -> dict[int, tuple[Any, ...]]:
    db.session.expire_all()
    rows = {}
    for state in report_states(list(db.session.scalars(select(Pilot)))):
        reported_from = (state.reported_on or date.min) if state.reported else date.max
        past = date.max if state.deadline == date.max else state.deadline + timedelta(days=1)
        rows[state.pilot.id] = (
            state.pilot.lead_council_id,
            state.pilot.title,
            state.due_date,
            state.deadline,
            state.reported_on,
            reported_from,
            min(reported_from, past),
            state.late,
            state.extended,
        )
    return rows


def _stored() -> dict[int, tuple[Any, ...]]:
    return {
        row.pilot_id: (
            row.council_id,
            row.title,
            row.due_on,
            row.deadline,
            row.reported_on,
            row.reported_from,
            row.counted_from,
            row.late,
            row.extended,
        )
        for row in db.session.scalars(select(ReportDates))
    }


def _agree() -> dict[int, tuple[Any, ...]]:
    expected = _from_scratch()
    assert _stored() == expected
    return expected


def test_every_kind_of_write_keeps_the_stored_dates(app_ctx) -> None:
    leeds, york = create_council(), create_council()
    draft = create_pilot(leeds, status="draft")
    assert _agree() == {}  # a draft owes no report
    pilot = create_registered_pilot(leeds, planned_end_date=date(2026, 3, 31))
    assert set(_agree()) == {pilot.id}
    change_status(pilot, "start", None, date(2026, 1, 5))
    pilot.planned_end_date, pilot.title = date(2026, 2, 28), "Renamed pilot"
    db.session.commit()
    pilot.lead_council = york
    db.session.commit()
    assert _agree()[pilot.id][:3] == (york.id, "Renamed pilot", date(2026, 5, 29))
    grant_extension(pilot, date(2026, 9, 1), "The data came late", None)
    assert _agree()[pilot.id][2:4] == (date(2026, 9, 1), date(2026, 10, 1))

    programme = create_programme(report_due_days=30)
    funded = create_pilot(leeds, status="running", planned_end_date=date(2026, 4, 30))
    award = create_award(programme, funded)
    assert _agree()[funded.id][2] == date(2026, 5, 30)
    programme.report_due_days = 10  # the programme's condition, not the award, changes
    db.session.commit()
    assert _agree()[funded.id][2] == date(2026, 5, 10)
    other = create_pilot(york, status="registered", planned_end_date=date(2026, 4, 30))
    award.pilot = other  # the award moves: the first pilot's report is due as by default
    db.session.commit()
    assert [_agree()[p.id][2] for p in (funded, other)] == [date(2026, 7, 29), date(2026, 5, 10)]
    db.session.delete(award)
    db.session.commit()
    assert _agree()[other.id][2] == date(2026, 7, 29)

    create_outcome(other, reported_on=date(2026, 10, 1))  # filed after the deadline
    assert _agree()[other.id][4:] == (
        date(2026, 10, 1),
        date(2026, 10, 1),
        date(2026, 8, 29),
        True,
        False,
    )
    change_status(funded, "stop", None, date(2026, 6, 1), reason="No money left")
    assert funded.id not in _agree()
    db.session.delete(pilot)
    db.session.commit()
    assert pilot.id not in _agree()
    draft.status = "running"
    db.session.commit()
    never = create_pilot(leeds, status="running", planned_end_date=date(9999, 12, 31))
    imported = create_pilot(leeds, status="concluded", actual_end_date=date(2026, 1, 31))
    rows = _agree()
    assert draft.id in rows
    assert rows[never.id][2:4] == (date.max, date.max)
    assert rows[imported.id][5] == date.min  # concluded before the registry kept reports


def test_a_bulk_load_and_the_migration_fill_them_as_the_writes_would(app_ctx) -> None:
    generate(300, FIXTURES / "councils.csv")
    expected = _agree()
    assert len(expected) > 150
    db.session.execute(ReportDates.__table__.delete())
    assert refresh_all_report_dates() == len(expected)
    db.session.commit()
    assert _agree() == expected
    db.session.remove()
    downgrade(revision=BEFORE)
    upgrade()
    assert _agree() == expected


def test_the_command_works_them_out_again_after_the_settings_change(app_ctx) -> None:
    pilot = create_pilot(create_council(), status="running", planned_end_date=date(2026, 3, 31))
    before = app_ctx.config["REPORT_DUE_DAYS"]
    assert before == 90
    app_ctx.config["REPORT_DUE_DAYS"] = 60
    try:
        assert _stored()[pilot.id][2] == date(2026, 6, 29)  # stored under the old setting
        result = app_ctx.test_cli_runner().invoke(args=["pilots", "refresh-report-dates"])
        assert result.exit_code == 0, result.output
        assert "worked out again for 1 pilots" in result.output
        assert _agree()[pilot.id][2] == date(2026, 5, 30)
    finally:
        app_ctx.config["REPORT_DUE_DAYS"] = before
