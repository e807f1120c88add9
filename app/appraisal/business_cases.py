"""Across the registry: how business cases turned out. For every public pilot whose outturn is
recorded, each line of the option carried out is a (forecast P50, outturn) pair; summed by pillar,
by lead council type and by the confidence grade of the line's figure, the ratio of outturn to
forecast is the registry's own measured optimism bias (costs above 100% overran; benefits below
100% fell short), and the share of lines whose outturn fell inside the forecast's P5–P95 says
how honest the ranges were.

Each grouping is a `Table` (app.common.figures), so the page's chart, table and CSV agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.appraisal.models import Appraisal, AppraisalOption
from app.appraisal.outturn import LineForecast, carried_out, forecasts
from app.common.figures.charts import BarChart, bar_chart
from app.common.figures.tables import Column, Table
from app.extensions import db
from app.pillars.service import pillar_names
from app.pilots.models import Pilot


@dataclass
class Tally:
    cost_forecast: int = 0
    cost_outturn: int = 0
    benefit_forecast: int = 0
    benefit_outturn: int = 0
    lines: int = 0
    inside: int = 0
    pilots: set[int] = field(default_factory=set)

    def add(self, pilot_id: int, line: LineForecast) -> None:
        if line.outturn_pence is None:
            return
        if line.side == "cost":
            self.cost_forecast += line.p50_pence
            self.cost_outturn += line.outturn_pence
        else:
            self.benefit_forecast += line.p50_pence
            self.benefit_outturn += line.outturn_pence
        self.lines += 1
        self.inside += bool(line.inside)
        self.pilots.add(pilot_id)

    def row(self, label: str) -> list[object]:
        return [
            label,
            _percent(self.cost_outturn, self.cost_forecast),
            _percent(self.benefit_outturn, self.benefit_forecast),
            _percent(self.inside, self.lines),
            self.lines,
            len(self.pilots),
        ]


def _percent(part: int, whole: int) -> int | None:
    return round(part / whole * 100) if whole else None


COLUMNS = [
    Column("group", "Group"),
    Column("cost_outturn_percent", "Costs", "percent"),
    Column("benefit_outturn_percent", "Benefits", "percent"),
    Column("inside_percent", "Lines inside P5–P95 (%)", "percent"),
    Column("lines", "Lines", "count"),
    Column("pilots", "Pilots", "count"),
]


@dataclass
class BusinessCases:
    overall: Tally
    tables: list[Table]
    charts: dict[str, BarChart]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def _compared() -> Iterable[tuple[Pilot, AppraisalOption, list[LineForecast]]]:
    appraisals = db.session.scalars(
        select(Appraisal)
        .join(Pilot, Pilot.id == Appraisal.pilot_id)
        .where(Pilot.status != "draft")
        .options(
            selectinload(Appraisal.options).selectinload(AppraisalOption.costs),
            selectinload(Appraisal.options).selectinload(AppraisalOption.benefits),
        )
    )
    found = []
    for appraisal in appraisals:
        option = carried_out(appraisal)
        if option is None:
            continue
        lines = [line for line in forecasts(option) if line.outturn_pence is not None]
        if lines and appraisal.pilot_id is not None:  # joined to its pilot: always
            found.append((appraisal.pilot_id, option, lines))
    # The pilots in one query (with what the tables group by), not one each.
    pilots = {
        p.id: p
        for p in db.session.scalars(
            select(Pilot)
            .where(Pilot.id.in_([pilot_id for pilot_id, _, _ in found]))
            .options(selectinload(Pilot.lead_council), selectinload(Pilot.pillar_links))
        )
    }
    for pilot_id, option, lines in found:
        yield pilots[pilot_id], option, lines


def _grouped(
    key: str, caption: str, compared: list[tuple[Pilot, list[LineForecast]]],
    groups: Callable[[Pilot, LineForecast], list[str]],
) -> Table:  # fmt: skip
    tallies: dict[str, Tally] = defaultdict(Tally)
    for pilot, lines in compared:
        for line in lines:
            for group in groups(pilot, line):
                tallies[group].add(pilot.id, line)
    return Table(
        key=key,
        caption=caption,
        columns=COLUMNS,
        rows=[tallies[g].row(g) for g in sorted(tallies)],
        empty_message="No outturn is recorded yet.",
    )


def business_cases() -> BusinessCases:
    """Outturn against forecast across every public pilot that recorded one."""
    compared = [(pilot, lines) for pilot, _option, lines in _compared()]
    names = pillar_names()
    overall = Tally()
    for pilot, lines in compared:
        for line in lines:
            overall.add(pilot.id, line)
    tables = [
        _grouped(
            "by-pillar",
            "By pillar: outturn as a percentage of forecast",
            compared,
            lambda p, _: [names.get(s, s) for s in p.pillars],
        ),
        _grouped(
            "by-council-type",
            "By the lead council's type: outturn as a percentage of forecast",
            compared,
            lambda p, _: [p.lead_council.la_type_name or "Other"],
        ),
        _grouped(
            "by-grade",
            "By the confidence grade of the line's figure (1 the most trustworthy): outturn as a "
            "percentage of forecast",
            compared,
            lambda _, line: [f"Grade {line.grade}"],
        ),
    ]
    charts = {
        table.key: bar_chart(
            table,
            "group",
            ["cost_outturn_percent", "benefit_outturn_percent"],
            table.caption,
        )
        for table in tables
    }
    return BusinessCases(overall, tables, charts)
