"""The funder's dashboard: who may see it, and that every figure matches the data it comes from.

Expectations are worked out here from the factory data, not by calling the dashboard's code."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.common.db_types import utcnow
from app.extensions import db
from app.funding.models import Award
from app.pillars.service import PILLAR_SLUGS, pillar_names
from app.pilots.models import Pilot, PilotEvent
from tests.factories import (
    create_award,
    create_council,
    create_pilot,
    create_programme,
    create_user,
)


@dataclass
class FundedAward:
    programme: str
    round: str
    pilot: str
    status: str
    verdict: str | None
    pillars: list[str]
    awarded: int
    disbursed: int
    award_date: date
    council: str = ""
    due_days: int | None = None
    end: date = date(2026, 6, 30)  # the factory's planned end date


def build_scenario() -> list[FundedAward]:
    """Two programmes in two rounds, awards over two years, every status, and a draft."""
    fund_a = create_programme(slug="fund-a", round="Round 1")
    fund_b = create_programme(slug="fund-b", round="Round 2", report_due_days=30)
    north, south = create_council(nice_name="Northshire"), create_council(nice_name="Southshire")
    a, b, n, s = fund_a, fund_b, north, south
    inc, biz, dev = "inclusion", "business-case", "developing-solutions"
    specs = [
        # programme, council, status, verdict, pillars, awarded, disbursed, award date
        (a, n, "concluded", "proved", [inc, biz], 12_345_67, 12_345_67, date(2024, 5, 1)),
        (a, s, "concluded", "disproved", [inc], 5_000_00, 4_999_99, date(2024, 6, 1)),
        (b, n, "concluded", "proved", [inc], 1, 1, date(2025, 2, 1)),
        (b, s, "concluded", "inconclusive", [biz], 250_000_00, 100_000_00, date(2025, 3, 1)),
        (a, n, "running", None, [dev], 33_333_33, 11_111_11, date(2025, 1, 15)),
        (b, s, "registered", None, [inc], 7_00, 0, date(2025, 12, 31)),
        (b, n, "stopped", None, [biz], 20_000_00, 5_000_00, date(2024, 11, 30)),
        (a, s, "withdrawn", None, [inc], 9_999_99, 0, date(2025, 7, 7)),
        (a, n, "draft", None, [inc], 77_777_77, 0, date(2025, 7, 7)),
    ]
    awards = []
    for programme, council, status, verdict, pillars, awarded, disbursed, when in specs:
        pilot = create_pilot(council, status=status, verdict=verdict, pillars=pillars)
        create_award(
            programme,
            pilot,
            amount_awarded_pence=awarded,
            amount_disbursed_pence=disbursed,
            award_date=when,
        )
        awards.append(
            FundedAward(
                programme.slug,
                programme.round,
                pilot.slug,
                status,
                verdict,
                pillars,
                awarded,
                disbursed,
                when,
                council.nice_name,
                programme.report_due_days,
            )
        )
    # One running trial funded by both programmes counts once as a trial, twice as money.
    shared = create_pilot(north, status="running", pillars=["inclusion"])
    for programme, awarded, when in (
        (fund_a, 1_000_00, date(2024, 9, 9)),
        (fund_b, 2_500_50, date(2025, 9, 9)),
    ):
        create_award(programme, shared, amount_awarded_pence=awarded, award_date=when)
        awards.append(
            FundedAward(
                programme.slug,
                programme.round,
                shared.slug,
                "running",
                None,
                ["inclusion"],
                awarded,
                0,
                when,
                north.nice_name,
                programme.report_due_days,
            )
        )
    return awards


FILTERS = [
    {},
    {"programme": "fund-a"},
    {"round": "Round 2"},
    {"year": "2025"},
    {"programme": "fund-b", "year": "2025"},
    {"programme": "fund-a", "round": "Round 2"},
]


def matching(awards: list[FundedAward], filters: dict[str, str]) -> list[FundedAward]:
    return [
        a
        for a in awards
        if a.status != "draft"
        and filters.get("programme", a.programme) == a.programme
        and filters.get("round", a.round) == a.round
        and filters.get("year", str(a.award_date.year)) == str(a.award_date.year)
    ]


def read_csv(client, table: str, filters: dict[str, str]) -> list[dict[str, str]]:
    response = client.get("/funding/dashboard.csv", query_string={"table": table, **filters})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def pence(pounds: str) -> int:
    value = Decimal(pounds) * 100
    assert value == value.to_integral_value(), pounds
    return int(value)


@pytest.mark.parametrize("filters", FILTERS)
def test_trials_by_status_and_verdict_equal_the_data(client, funder, filters):
    awards = matching(build_scenario(), filters)
    pilots = {a.pilot: a for a in awards}.values()
    by_status = Counter(p.status for p in pilots)
    rows = read_csv(client, "by-status", filters)
    assert {r["status"].lower(): int(r["trials"]) for r in rows} == {
        s: by_status.get(s, 0)
        for s in ("registered", "running", "concluded", "stopped", "withdrawn")
    }
    by_verdict = Counter(p.verdict or "no verdict yet" for p in pilots)
    rows = read_csv(client, "by-verdict", filters)
    assert {r["verdict"].lower(): int(r["trials"]) for r in rows} == {
        v: by_verdict.get(v, 0) for v in ("proved", "disproved", "inconclusive", "no verdict yet")
    }


@pytest.mark.parametrize("filters", FILTERS)
def test_money_by_status_and_verdict_is_exact_to_the_penny(client, funder, filters):
    awards = matching(build_scenario(), filters)
    for table, key in (("money-by-status", "status"), ("money-by-verdict", "verdict")):
        expected: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for a in awards:
            group = a.status if key == "status" else (a.verdict or "no verdict yet")
            expected[group][0] += 1
            expected[group][1] += a.awarded
            expected[group][2] += a.disbursed
        rows = read_csv(client, table, filters)
        got = {
            r[key].lower(): [int(r["awards"]), pence(r["awarded_gbp"]), pence(r["disbursed_gbp"])]
            for r in rows
        }
        assert {k: v for k, v in got.items() if v != [0, 0, 0]} == dict(expected)


def test_money_totals_agree_with_a_plain_database_sum(client, funder):
    build_scenario()
    awarded, disbursed = db.session.execute(
        select(func.sum(Award.amount_awarded_pence), func.sum(Award.amount_disbursed_pence))
        .join(Pilot, Pilot.id == Award.pilot_id)
        .where(Pilot.status != "draft")
    ).one()
    rows = read_csv(client, "money-by-status", {})
    assert sum(pence(r["awarded_gbp"]) for r in rows) == awarded
    assert sum(pence(r["disbursed_gbp"]) for r in rows) == disbursed
    page = client.get("/funding/dashboard").get_data(as_text=True)
    assert awarded == 334_186_50  # worked out by hand from build_scenario()
    assert "<strong>£334,186.50</strong>" in page  # the total row


@pytest.mark.parametrize("filters", FILTERS)
def test_prove_rate_by_pillar_equals_the_data(client, funder, filters):
    awards = matching(build_scenario(), filters)
    concluded = {a.pilot: a for a in awards if a.status == "concluded"}.values()
    rows = {r["pillar"]: r for r in read_csv(client, "prove-rate-by-pillar", filters)}
    names = pillar_names()
    assert set(rows) == {names[s] for s in PILLAR_SLUGS}
    for slug in PILLAR_SLUGS:
        under = [a for a in concluded if slug in a.pillars]
        proved = sum(1 for a in under if a.verdict == "proved")
        row = rows[names[slug]]
        assert int(row["concluded"]) == len(under)
        assert int(row["proved"]) == proved
        expected_rate = "" if not under else str(round(Decimal(100 * proved) / len(under)))
        assert row["prove_rate_percent"] == expected_rate


def test_overdue_reports_with_days_overdue_and_money_at_stake(client, funder, app_ctx):
    today = utcnow().date()
    grace = app_ctx.config["REPORT_GRACE_DAYS"]
    default_days = app_ctx.config["REPORT_DUE_DAYS"]
    strict = create_programme(report_due_days=30)
    usual = create_programme(report_due_days=None)
    late = create_pilot(
        status="running", title="Late trial", planned_end_date=today - timedelta(200)
    )
    create_award(strict, late, amount_awarded_pence=1_000_00, amount_disbursed_pence=400_00)
    create_award(usual, late, amount_awarded_pence=2_000_01)
    ended_early = create_pilot(
        status="registered",
        title="Actually ended",
        planned_end_date=today + timedelta(100),
        actual_end_date=today - timedelta(default_days + grace + 5),
    )
    create_award(usual, ended_early)
    not_yet = create_pilot(
        status="running", planned_end_date=today - timedelta(default_days + grace - 1)
    )
    create_award(usual, not_yet)
    reported = create_pilot(status="concluded", verdict="proved", planned_end_date=date(2020, 1, 1))
    create_award(strict, reported)
    rows = read_csv(client, "overdue", {})
    assert [r["pilot"] for r in rows] == ["Late trial", "Actually ended"]
    first, second = rows
    # The strictest programme's condition applies: due 30 days after the end, not the registry's
    # usual; overdue once the grace period has passed, counted from the due date (as /overdue).
    assert int(first["days_overdue"]) == 200 - 30
    assert first["report_due"] == (today - timedelta(200 - 30)).isoformat()
    assert pence(first["awarded_gbp"]) == 3_000_01
    assert pence(first["undisbursed_gbp"]) == 2_600_01
    assert int(second["days_overdue"]) == grace + 5
    # "Ended" is only ever a real end: the running trial's planned end has a column of its own.
    assert (
        first["end_date"] == "" and first["planned_end_date"] == late.planned_end_date.isoformat()
    )
    assert second["end_date"] == ended_early.actual_end_date.isoformat()
    # A pilot has one due date, whichever programme the dashboard is filtered to.
    only_usual = read_csv(client, "overdue", {"programme": usual.slug})
    assert int(only_usual[0]["days_overdue"]) == 200 - 30
    assert pence(only_usual[0]["awarded_gbp"]) == 2_000_01
    overdue_page = client.get("/overdue").get_data(as_text=True)
    assert "Late trial" in overdue_page and "Actually ended" in overdue_page


def test_each_councils_reporting_record_equals_the_data(client, funder, app_ctx):
    awards = matching(build_scenario(), {})
    config = app_ctx.config
    today = utcnow().date()
    pilots: dict[str, list[FundedAward]] = defaultdict(list)
    for a in awards:
        pilots[a.pilot].append(a)
    expected: dict[str, Counter[str]] = defaultdict(Counter)
    for funded in pilots.values():
        first = funded[0]
        due_days = min(
            config["REPORT_DUE_DAYS"] if a.due_days is None else a.due_days for a in funded
        )
        due = first.end + timedelta(days=due_days + config["REPORT_GRACE_DAYS"])
        if first.status == "concluded":
            state = "reported"
        elif first.status in ("stopped", "withdrawn"):
            state = "ended_early"
        else:
            state = "overdue" if today > due else "not_yet_due"
        expected[first.council]["trials"] += 1
        expected[first.council][state] += 1
    rows = read_csv(client, "council-record", {})
    assert [r["council"] for r in rows] == ["Northshire", "Southshire"]
    for row in rows:
        for column in ("trials", "reported", "overdue", "not_yet_due", "ended_early"):
            assert int(row[column]) == expected[row["council"]][column], (row, column)


def test_trials_with_no_update_for_90_days(client, funder):
    from app.pilots.models import ProgressUpdate

    now = utcnow()
    long_ago = {"registered_at": now - timedelta(200)}
    programme = create_programme()
    quiet = create_pilot(status="running", title="Quiet trial", **long_ago)
    db.session.add(
        ProgressUpdate(
            pilot_id=quiet.id, council_id=quiet.lead_council_id, on=(now - timedelta(100)).date(),
            text="Halfway there.",
        )
    )  # fmt: skip
    evented = create_pilot(status="running", **long_ago)
    db.session.add(
        PilotEvent(pilot_id=evented.id, sequence=1, kind="amended", at=now - timedelta(10))
    )
    # Editing the description is not news about the trial.
    edited = create_pilot(status="running", title="Edited trial", updated_at=now, **long_ago)
    recent = create_pilot(status="registered", registered_at=now - timedelta(80))
    finished = create_pilot(status="concluded", verdict="proved", **long_ago)
    unfunded = create_pilot(status="running", **long_ago)
    db.session.commit()
    for pilot in (quiet, evented, edited, recent, finished):
        create_award(programme, pilot)
    rows = read_csv(client, "no-update", {})
    assert [(r["pilot"], r["days_since_update"]) for r in rows] == [
        ("Edited trial", "200"),
        ("Quiet trial", "100"),
    ]
    assert rows[1]["last_update"] == (now - timedelta(100)).date().isoformat()
    assert unfunded.slug not in {r["pilot_slug"] for r in rows}


def test_only_funders_and_admins_reach_the_dashboard(client, sign_in):
    council = create_council()
    for url in ("/funding/dashboard", "/funding/dashboard.csv?table=by-status"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/auth/sign-in" in response.location
    for role, status in (("editor", 403), ("council-admin", 403), ("funder", 200), ("admin", 200)):
        sign_in(create_user(role, council if role in ("editor", "council-admin") else None))
        assert client.get("/funding/dashboard").status_code == status, role
        assert client.get("/funding/dashboard.csv?table=overdue").status_code == status, role


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("programme=nope", "There is no programme"),
        ("round=Round+9", "There is no round"),
        ("year=twenty", "The year must be a year"),
    ],
)
def test_bad_dashboard_filters_are_400_with_a_message(client, funder, query, message):
    create_programme(round="Round 1")
    response = client.get(f"/funding/dashboard?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_unknown_csv_table_is_400(client, funder):
    response = client.get("/funding/dashboard.csv?table=everything")
    assert response.status_code == 400


def test_dashboard_overdue_list_equals_the_registrys(client, funder, app_ctx):
    from app.content.demo import load_demo
    from app.pilots.report_queries import overdue_pilots

    load_demo()
    today = utcnow().date()
    registry = {state.pilot.slug: days for state, days in overdue_pilots(today)}
    funded = {r["pilot_slug"]: int(r["days_overdue"]) for r in read_csv(client, "overdue", {})}
    assert funded
    assert funded == {slug: days for slug, days in registry.items() if slug in funded}
