"""Overdue outcome reports, with a fixed clock. A pilot ending 1 January 2026 has its report due
on 1 April 2026 (90 days) and overdue after 1 May 2026 (30 days' grace)."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.pilots.models import ProgressUpdate, ReportExtension
from app.pilots.overdue import report_state, status_unknown
from app.pilots.report_queries import overdue_pilots, reporting_record
from tests.factories import create_council, create_outcome, create_pilot, create_user

END = date(2026, 1, 1)
DUE = date(2026, 4, 1)
LAST_DAY_OF_GRACE = date(2026, 5, 1)


def overdue_slugs(today):
    return [(state.pilot.slug, days) for state, days in overdue_pilots(today)]


def test_due_date_is_ninety_days_after_the_planned_end(council):
    pilot = create_pilot(council, status="running", planned_end_date=END)
    assert report_state(pilot).due_date == DUE


def test_due_today_and_in_grace_are_not_overdue(council):
    create_pilot(council, slug="p", status="running", planned_end_date=END)
    assert overdue_slugs(DUE) == []
    assert overdue_slugs(LAST_DAY_OF_GRACE) == []
    assert overdue_slugs(date(2026, 5, 2)) == [("p", 31)]


def test_actual_end_date_takes_precedence(council):
    create_pilot(
        council, slug="p", status="running", planned_end_date=END, actual_end_date=date(2026, 1, 2)
    )
    assert overdue_slugs(date(2026, 5, 2)) == []
    assert overdue_slugs(date(2026, 5, 3)) == [("p", 31)]


def test_an_approved_extension_moves_the_due_date(council):
    pilot = create_pilot(council, slug="p", status="running", planned_end_date=END)
    db.session.add(ReportExtension(pilot_id=pilot.id, due_date=date(2026, 6, 30), reason="x"))
    db.session.commit()
    assert overdue_slugs(date(2026, 5, 2)) == [("p", 31)]  # not approved: does not count
    admin = create_user("admin")
    from app.pilots.overdue import grant_extension

    grant_extension(pilot, date(2026, 7, 31), "Supplier failed", admin)
    assert report_state(pilot).due_date == date(2026, 7, 31)
    assert overdue_slugs(date(2026, 8, 30)) == []
    assert overdue_slugs(date(2026, 8, 31)) == [("p", 31)]


def test_worst_first_and_only_public_pilots_that_owe_a_report(council):
    create_pilot(council, slug="older", status="running", planned_end_date=date(2025, 6, 1))
    create_pilot(council, slug="newer", status="registered", planned_end_date=END)
    create_pilot(council, slug="draft", status="draft", planned_end_date=date(2025, 1, 1))
    create_pilot(council, slug="stopped", status="stopped", planned_end_date=date(2025, 1, 1))
    done = create_pilot(council, slug="done", status="running", planned_end_date=date(2025, 1, 1))
    create_outcome(done, date(2025, 12, 1))
    today = date(2026, 6, 1)
    assert overdue_slugs(today) == [("older", 275), ("newer", 61)]


def test_reporting_record_at_the_edges(council):
    on_time = create_pilot(council, status="running", planned_end_date=END)
    create_outcome(on_time, LAST_DAY_OF_GRACE)  # on the last day of grace: on time
    late = create_pilot(council, status="running", planned_end_date=END)
    create_outcome(late, date(2026, 5, 2))  # a day after the grace period: late
    create_pilot(council, status="running", planned_end_date=END)  # overdue, unreported
    create_pilot(council, status="running", planned_end_date=date(2026, 2, 1))  # still in grace
    record = reporting_record(council, date(2026, 5, 20))
    assert (record.reported, record.due, record.late) == (2, 3, 1)
    # On the due date nothing is reported yet, and nothing unreported counts against the council
    record = reporting_record(council, DUE)
    assert (record.reported, record.due, record.late) == (0, 0, 0)
    record = reporting_record(council, LAST_DAY_OF_GRACE)
    assert (record.reported, record.due, record.late) == (1, 1, 0)


def test_council_pages_show_and_sort_by_reporting_record(client, app_ctx):
    good = create_council(code="GGG", nice_name="Goodshire")
    poor = create_council(code="PPP", nice_name="Aardvark Poorshire")
    create_council(code="NNN", nice_name="Abbey Nonesuch")
    reported = create_pilot(good, status="running", planned_end_date=date(2024, 1, 1))
    create_outcome(reported, date(2024, 2, 1))
    create_pilot(poor, status="running", planned_end_date=date(2024, 1, 1))
    page = client.get("/councils/ppp").get_data(as_text=True)
    assert "<strong>0 of 1</strong> outcome report due" in page
    page = client.get("/councils/ggg").get_data(as_text=True)
    assert "<strong>1 of 1</strong> outcome report due has been published" in page
    by_name = client.get("/councils").get_data(as_text=True)
    assert by_name.index("Aardvark Poorshire") < by_name.index("Goodshire")
    by_record = client.get("/councils?sort=reporting").get_data(as_text=True)
    assert by_record.index("Goodshire") < by_record.index("Aardvark Poorshire")
    assert by_record.index("Aardvark Poorshire") < by_record.index("Abbey Nonesuch")
    assert client.get("/councils?sort=nonsense").status_code == 400


def test_overdue_page_lists_days_overdue(client, council):
    create_pilot(council, title="Late sensors", status="running", planned_end_date=date(2024, 1, 1))
    page = client.get("/overdue").get_data(as_text=True)
    assert "Late sensors" in page and "1 overdue report" in page


def test_status_unknown_a_year_past_the_planned_end_without_an_update(council):
    pilot = create_pilot(council, status="running", planned_end_date=END)
    assert not status_unknown(pilot, date(2027, 1, 1))  # exactly a year: not yet
    assert status_unknown(pilot, date(2027, 1, 2))
    db.session.add(
        ProgressUpdate(
            pilot_id=pilot.id, council_id=council.id, on=date(2026, 9, 1), text="Still going"
        )
    )
    db.session.commit()
    assert not status_unknown(pilot, date(2027, 1, 2))
    assert status_unknown(pilot, date(2027, 9, 2))
    pilot.status = "concluded"
    assert not status_unknown(pilot, date(2027, 9, 2))


def test_pilot_page_shows_status_unknown(client, council):
    pilot = create_pilot(council, status="running", planned_end_date=date(2020, 1, 1))
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Status unknown" in page and "Overdue by" in page


def test_pages_that_count_reports_survive_the_furthest_dates_a_database_can_hold(client, council):
    """Rows written before today's rules (or straight into the database) may end in 9999: the
    report's due date is then past any date, not a 500 (OverflowError)."""
    for status in ("registered", "running"):
        create_pilot(council, slug=f"far-{status}", status=status, planned_end_date=date.max)
    create_pilot(council, slug="far-ended", status="running", actual_end_date=date.max)
    for page in ("/overdue", "/councils/aaa", "/councils?sort=reporting", "/pilots/far-running"):
        assert client.get(page).status_code == 200, page
    assert report_state(create_pilot(council, planned_end_date=date.max)).due_date == date.max
    assert not status_unknown(
        create_pilot(council, status="running", planned_end_date=date.max), END
    )
