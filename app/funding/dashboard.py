"""The funder's dashboard: funded trials, money and reporting, for one programme or all,
filtered by round and by the year of the award. Draft pilots are never counted."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from app.common.figures.charts import BarChart, bar_chart
from app.common.figures.tables import Column, PilotRef, Table
from app.extensions import db
from app.funding import reporting
from app.funding.dashboard_summary import DashboardSummary, summarise
from app.funding.models import Award
from app.funding.scope import DashboardFilters, FundedTrial, funded_pilot_ids, funded_trials, scoped
from app.pillars.service import PILLAR_SLUGS, pillar_names
from app.pilots.models import PUBLIC_STATUSES, VERDICTS, Pilot, PilotPillar
from app.pilots.overdue import ReportState

NO_VERDICT = "no verdict yet"
TABLE_KEYS = (
    "by-status", "by-verdict", "money-by-status", "money-by-verdict", "prove-rate-by-pillar",
    "overdue", "council-record", "no-update",
)  # fmt: skip


def _verdict_label(status: str, verdict: str | None) -> str:
    return verdict if status == "concluded" and verdict in VERDICTS else NO_VERDICT


def trials_by_status(filters: DashboardFilters) -> Table:
    counts = dict(
        db.session.execute(
            select(Pilot.status, func.count())
            .where(Pilot.id.in_(funded_pilot_ids(filters)))
            .group_by(Pilot.status)
        ).all()
    )
    rows = [[s.capitalize(), int(counts.get(s, 0))] for s in PUBLIC_STATUSES]
    return Table(
        "by-status",
        "Funded trials by status",
        [Column("status", "Status"), Column("trials", "Trials", "count")],
        rows,
        total=["Total", sum(r[1] for r in rows)],
    )


def trials_by_verdict(filters: DashboardFilters) -> Table:
    counts: dict[str, int] = defaultdict(int)
    for status, verdict, n in db.session.execute(
        select(Pilot.status, Pilot.verdict, func.count())
        .where(Pilot.id.in_(funded_pilot_ids(filters)))
        .group_by(Pilot.status, Pilot.verdict)
    ):
        counts[_verdict_label(status, verdict)] += int(n)
    rows = [[v.capitalize(), counts[v]] for v in (*VERDICTS, NO_VERDICT)]
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


def money_by_status(filters: DashboardFilters) -> Table:
    found = {
        status: (int(n), int(a), int(d))
        for status, n, a, d in db.session.execute(
            scoped(
                select(
                    Pilot.status,
                    func.count(Award.id),
                    func.sum(Award.amount_awarded_pence),
                    func.sum(Award.amount_disbursed_pence),
                ),
                filters,
            ).group_by(Pilot.status)
        )
    }
    rows = [[s.capitalize(), *found.get(s, (0, 0, 0))] for s in PUBLIC_STATUSES]
    return Table(
        "money-by-status",
        "Money awarded and disbursed, by the trial's status",
        [Column("status", "Status"), *MONEY_COLUMNS],
        rows,
        total=_money_total(rows),
    )


def money_by_verdict(filters: DashboardFilters) -> Table:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for status, verdict, n, awarded, disbursed in db.session.execute(
        scoped(
            select(
                Pilot.status,
                Pilot.verdict,
                func.count(Award.id),
                func.sum(Award.amount_awarded_pence),
                func.sum(Award.amount_disbursed_pence),
            ),
            filters,
        ).group_by(Pilot.status, Pilot.verdict)
    ):
        bucket = sums[_verdict_label(status, verdict)]
        bucket[0] += int(n)
        bucket[1] += int(awarded)
        bucket[2] += int(disbursed)
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
        .where(Pilot.id.in_(funded_pilot_ids(filters)), Pilot.status == "concluded")
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


def overdue_reports(trials: list[FundedTrial], today: date) -> Table:
    """Funded trials whose outcome report is past its grace period: the same rule, due dates
    and extensions as /overdue, with the money at stake."""
    states = reporting.report_states_by_pilot([t.pilot for t in trials])
    rows: list[list[Any]] = []
    for trial in trials:
        state = states.get(trial.pilot.id)
        late = reporting.days_overdue(state, today)
        if state is None or late is None:
            continue
        pilot = trial.pilot
        rows.append(
            [
                PilotRef(pilot.title, pilot.slug),
                pilot.lead_council.nice_name,
                # A trial still running has not ended: its planned end is a column of its own.
                pilot.actual_end_date,
                pilot.planned_end_date,
                state.due_date,
                late,
                trial.awarded_pence,
                trial.awarded_pence - trial.disbursed_pence,
            ]
        )
    rows.sort(key=lambda r: (-r[5], r[0].title))
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
        empty_message="No outcome reports are overdue.",
    )


def reporting_state(pilot: Pilot, state: ReportState | None, today: date) -> str:
    if pilot.status == "concluded":
        return "reported"
    if pilot.status not in reporting.OWES_REPORT:
        return "ended early"
    return "overdue" if reporting.days_overdue(state, today) else "not yet due"


def council_reporting_record(trials: list[FundedTrial], today: date) -> Table:
    """For each lead council: funded trials, and how many have reported, are overdue, are not
    yet due, or ended early (stopped or withdrawn); the four add up to the trials."""
    states = ("reported", "overdue", "not yet due", "ended early")
    record: dict[str, dict[str, int]] = {}
    report = reporting.report_states_by_pilot([t.pilot for t in trials])
    for trial in trials:
        name = trial.pilot.lead_council.nice_name
        counts = record.setdefault(name, dict.fromkeys(states, 0))
        counts[reporting_state(trial.pilot, report.get(trial.pilot.id), today)] += 1
    rows = [[name, sum(c.values()), *(c[s] for s in states)] for name, c in sorted(record.items())]
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
        rows,
        empty_message="No funded trials.",
    )


def trials_without_update(trials: list[FundedTrial], now: datetime) -> Table:
    active = [t.pilot for t in trials if t.pilot.status in reporting.OWES_REPORT]
    last = reporting.last_update_at(active)
    rows: list[list[Any]] = [
        [
            PilotRef(p.title, p.slug),
            p.lead_council.nice_name,
            p.status.capitalize(),
            last[p.id].date(),
            (now - last[p.id]).days,
        ]
        for p in active
        if reporting.is_stale(p, last[p.id], now)
    ]
    rows.sort(key=lambda r: (-r[4], r[0].title))
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
    )


@dataclass
class Dashboard:
    tables: dict[str, Table]
    charts: dict[str, BarChart]
    summary: DashboardSummary


def build_dashboard(filters: DashboardFilters, now: datetime) -> Dashboard:
    """Every table and chart on the dashboard for these filters, as at `now` (UTC)."""
    trials = funded_trials(filters)
    tables = [
        trials_by_status(filters),
        trials_by_verdict(filters),
        money_by_status(filters),
        money_by_verdict(filters),
        prove_rate_by_pillar(filters),
        overdue_reports(trials, now.date()),
        council_reporting_record(trials, now.date()),
        trials_without_update(trials, now),
    ]
    by_key = {t.key: t for t in tables}
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
