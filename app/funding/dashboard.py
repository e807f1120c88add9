"""The funder's dashboard: funded trials, money and reporting, for one programme or all,
filtered by round and by the year of the award. Draft pilots are never counted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import distinct, func, select

from app.common.figures.charts import BarChart, bar_chart
from app.common.figures.tables import Column, Table
from app.extensions import db
from app.funding import dashboard_reporting
from app.funding.dashboard_summary import DashboardSummary, summarise
from app.funding.models import Award
from app.funding.scope import DashboardFilters, awarded_pilot_ids, scoped
from app.pillars.service import PILLAR_SLUGS, pillar_names
from app.pilots.models import PUBLIC_STATUSES, VERDICTS, Pilot, PilotPillar

NO_VERDICT = "no verdict yet"
TABLE_KEYS = (
    "by-status", "by-verdict", "money-by-status", "money-by-verdict", "prove-rate-by-pillar",
    "overdue", "council-record", "no-update",
)  # fmt: skip


def _verdict_label(status: str, verdict: str | None) -> str:
    return verdict if status == "concluded" and verdict in VERDICTS else NO_VERDICT


@dataclass(frozen=True)
class FundedCount:
    """Funded trials of one status and verdict, their awards and the money."""

    status: str
    verdict: str | None
    trials: int
    awards: int
    awarded_pence: int
    disbursed_pence: int


def funded_counts(filters: DashboardFilters) -> list[FundedCount]:
    """Every count and sum of the first four tables, in one GROUP BY over the awards in scope
    (each probing its pilot by id): the cost follows the funded trials, not the registry."""
    return [
        FundedCount(status, verdict, int(trials), int(awards), int(awarded), int(disbursed))
        for status, verdict, trials, awards, awarded, disbursed in db.session.execute(
            scoped(
                select(
                    Pilot.status,
                    Pilot.verdict,
                    func.count(distinct(Pilot.id)),
                    func.count(Award.id),
                    func.sum(Award.amount_awarded_pence),
                    func.sum(Award.amount_disbursed_pence),
                ),
                filters,
            ).group_by(Pilot.status, Pilot.verdict)
        )
    ]


def trials_by_status(counts: list[FundedCount]) -> Table:
    by_status: dict[str, int] = defaultdict(int)
    for count in counts:
        by_status[count.status] += count.trials
    rows = [[s.capitalize(), by_status[s]] for s in PUBLIC_STATUSES]
    return Table(
        "by-status",
        "Funded trials by status",
        [Column("status", "Status"), Column("trials", "Trials", "count")],
        rows,
        total=["Total", sum(r[1] for r in rows)],
    )


def trials_by_verdict(counts: list[FundedCount]) -> Table:
    by_verdict: dict[str, int] = defaultdict(int)
    for count in counts:
        by_verdict[_verdict_label(count.status, count.verdict)] += count.trials
    rows = [[v.capitalize(), by_verdict[v]] for v in (*VERDICTS, NO_VERDICT)]
    return Table(
        "by-verdict",
        "Funded trials by verdict",
        [Column("verdict", "Verdict"), Column("trials", "Trials", "count")],
        rows,
        total=["Total", sum(r[1] for r in rows)],
    )


MONEY_COLUMNS = [
    Column("awards", "Awards", "count"),
    Column("awarded_gbp", "Awarded", "money"),
    Column("disbursed_gbp", "Disbursed", "money"),
]


def _money_total(rows: list[list[Any]]) -> list[Any]:
    return ["Total", *(sum(r[i] for r in rows) for i in (1, 2, 3))]


def _money_by(
    counts: list[FundedCount], label: Callable[[FundedCount], str]
) -> dict[str, list[int]]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for count in counts:
        bucket = sums[label(count)]
        bucket[0] += count.awards
        bucket[1] += count.awarded_pence
        bucket[2] += count.disbursed_pence
    return sums


def money_by_status(counts: list[FundedCount]) -> Table:
    sums = _money_by(counts, lambda count: count.status)
    rows = [[s.capitalize(), *sums[s]] for s in PUBLIC_STATUSES]
    return Table(
        "money-by-status",
        "Money awarded and disbursed, by the trial's status",
        [Column("status", "Status"), *MONEY_COLUMNS],
        rows,
        total=_money_total(rows),
    )


def money_by_verdict(counts: list[FundedCount]) -> Table:
    sums = _money_by(counts, lambda count: _verdict_label(count.status, count.verdict))
    rows = [[v.capitalize(), *sums[v]] for v in (*VERDICTS, NO_VERDICT)]
    return Table(
        "money-by-verdict",
        "Money awarded and disbursed, by the trial's verdict",
        [Column("verdict", "Verdict"), *MONEY_COLUMNS],
        rows,
        total=_money_total(rows),
    )


def prove_rate(proved: int, concluded: int) -> int | None:
    """Proved as a whole percentage of concluded trials, rounded half up; None if none ended."""
    if concluded == 0:
        return None
    return (200 * proved + concluded) // (2 * concluded)


def prove_rate_by_pillar(filters: DashboardFilters) -> Table:
    counts: dict[str, dict[str, int]] = {s: defaultdict(int) for s in PILLAR_SLUGS}
    for slug, verdict, n in db.session.execute(
        select(PilotPillar.pillar_slug, Pilot.verdict, func.count())
        .join(Pilot, Pilot.id == PilotPillar.pilot_id)
        .where(Pilot.id.in_(awarded_pilot_ids(filters)), Pilot.status == "concluded")
        .group_by(PilotPillar.pillar_slug, Pilot.verdict)
    ):
        if slug in counts and verdict in VERDICTS:
            counts[slug][verdict] += int(n)
    names = pillar_names()
    rows = []
    for slug in PILLAR_SLUGS:
        c = counts[slug]
        concluded = sum(c[v] for v in VERDICTS)
        rows.append(
            [
                names.get(slug, slug),
                concluded,
                *(c[v] for v in VERDICTS),
                prove_rate(c["proved"], concluded),
            ]
        )
    return Table(
        "prove-rate-by-pillar",
        "Prove rate by pillar (concluded funded trials)",
        [
            Column("pillar", "Pillar"),
            Column("concluded", "Concluded", "count"),
            Column("proved", "Proved", "count"),
            Column("disproved", "Disproved", "count"),
            Column("inconclusive", "Inconclusive", "count"),
            Column("prove_rate_percent", "Prove rate", "percent"),
        ],
        rows,
    )


@dataclass
class Dashboard:
    tables: dict[str, Table]
    charts: dict[str, BarChart]
    summary: DashboardSummary


def _tables(filters: DashboardFilters, now: datetime) -> dict[str, Callable[[], Table]]:
    counts = cache(lambda: funded_counts(filters))
    return {
        "by-status": lambda: trials_by_status(counts()),
        "by-verdict": lambda: trials_by_verdict(counts()),
        "money-by-status": lambda: money_by_status(counts()),
        "money-by-verdict": lambda: money_by_verdict(counts()),
        "prove-rate-by-pillar": lambda: prove_rate_by_pillar(filters),
        "overdue": lambda: dashboard_reporting.overdue_reports(filters, now.date()),
        "council-record": lambda: dashboard_reporting.council_reporting_record(filters, now.date()),
        "no-update": lambda: dashboard_reporting.trials_without_update(filters, now),
    }


def dashboard_table(key: str, filters: DashboardFilters, now: datetime) -> Table:
    """One table whole, every row, for its CSV download."""
    if key == "overdue":
        return dashboard_reporting.overdue_reports(filters, now.date(), limit=None)
    if key == "no-update":
        return dashboard_reporting.trials_without_update(filters, now, limit=None)
    if key == "council-record":
        return dashboard_reporting.council_reporting_record(filters, now.date(), limit=None)
    return _tables(filters, now)[key]()


def build_dashboard(filters: DashboardFilters, now: datetime) -> Dashboard:
    """Every table and chart on the dashboard for these filters, as at `now` (UTC); the lists
    of trials show their first rows (dashboard_reporting.LISTED)."""
    by_key = {key: build() for key, build in _tables(filters, now).items()}
    charts = [
        bar_chart(by_key["by-status"], "status", ["trials"], "Funded trials by status"),
        bar_chart(by_key["by-verdict"], "verdict", ["trials"], "Funded trials by verdict"),
        bar_chart(
            by_key["money-by-status"],
            "status",
            ["awarded_gbp", "disbursed_gbp"],
            "Money awarded and disbursed, by status",
        ),
        bar_chart(
            by_key["money-by-verdict"],
            "verdict",
            ["awarded_gbp", "disbursed_gbp"],
            "Money awarded and disbursed, by verdict",
        ),
        bar_chart(
            by_key["prove-rate-by-pillar"],
            "pillar",
            ["prove_rate_percent"],
            "Prove rate by pillar",
        ),
    ]
    return Dashboard(by_key, {c.key: c for c in charts}, summarise(by_key))


def award_years() -> list[int]:
    """Years in which awards were made, newest first, for the year filter."""
    dates = db.session.scalars(select(Award.award_date).distinct())
    return sorted({d.year for d in dates}, reverse=True)
