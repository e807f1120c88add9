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
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from app.appraisal.models import Appraisal, AppraisalOption, BenefitLine, CostLine
from app.appraisal.outturn import LineFigures, LineForecast, forecasts_of
from app.common.figures.charts import BarChart, bar_chart
from app.common.figures.tables import Column, Table
from app.councils.models import Council
from app.extensions import db
from app.pillars.service import pillar_names
from app.pilots.models import Pilot, PilotPillar


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


@dataclass(frozen=True)
class ComparedPilot:
    """What the tables group a pilot by."""

    id: int
    pillars: list[str]
    council_type: str


def _carried_out_options() -> list[int]:
    """The id of the option each public pilot's appraisal carried out (outturn.carried_out:
    the first preferred, or the only option), from the options' kinds alone."""
    by_appraisal: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for appraisal_id, option_id, kind in db.session.execute(
        select(AppraisalOption.appraisal_id, AppraisalOption.id, AppraisalOption.kind)
        .join(Appraisal, Appraisal.id == AppraisalOption.appraisal_id)
        .join(Pilot, Pilot.id == Appraisal.pilot_id)
        .where(Pilot.status != "draft")
        .order_by(AppraisalOption.appraisal_id, AppraisalOption.position, AppraisalOption.id)
    ):
        by_appraisal[appraisal_id].append((option_id, kind))
    chosen = []
    for options in by_appraisal.values():
        preferred = [o for o, kind in options if kind == "preferred"]
        if preferred or len(options) == 1:
            chosen.append(preferred[0] if preferred else options[0][0])
    return chosen


def _outturn_lines(option_ids: list[int]) -> dict[int, list[LineForecast]]:
    """The lines with an outturn of these options, by pilot: their figures as columns (the
    appraisals, their simulations' results and the lines without an outturn stay unread)."""
    figures: list[tuple[int, LineFigures]] = []
    for side, model in (("cost", CostLine), ("benefit", BenefitLine)):
        rows = db.session.execute(
            select(
                Appraisal.pilot_id,
                model.id,
                model.name,
                model.confidence_grade,
                model.low_pence,
                model.likely_pence,
                model.high_pence,
                model.years,
                model.outturn_pence,
            )
            .join(AppraisalOption, AppraisalOption.id == model.option_id)
            .join(Appraisal, Appraisal.id == AppraisalOption.appraisal_id)
            .where(model.option_id.in_(option_ids), model.outturn_pence.is_not(None))
            .order_by(model.option_id, model.position, model.id)
        )
        for pilot_id, line_id, name, grade, low, likely, high, years, outturn in rows:
            if pilot_id is not None:  # joined to a public pilot: always
                yearly = (low, likely, high)
                line = LineFigures(side, line_id, name, grade, yearly, len(years or []), outturn)
                figures.append((pilot_id, line))
    found: dict[int, list[LineForecast]] = defaultdict(list)
    forecast = forecasts_of([line for _, line in figures])
    for (pilot_id, _), line_forecast in zip(figures, forecast, strict=True):
        found[pilot_id].append(line_forecast)
    return found


def _compared() -> list[tuple[ComparedPilot, list[LineForecast]]]:
    """Each public pilot with an outturn recorded, and its lines with one."""
    lines = _outturn_lines(_carried_out_options())
    pillars: dict[int, list[str]] = defaultdict(list)
    for pilot_id, slug in db.session.execute(
        select(PilotPillar.pilot_id, PilotPillar.pillar_slug)
        .where(PilotPillar.pilot_id.in_(list(lines)))
        .order_by(PilotPillar.pilot_id, PilotPillar.pillar_slug)
    ):
        pillars[pilot_id].append(slug)
    found = db.session.execute(
        select(Pilot.id, Council.la_type_name)
        .join(Council, Council.id == Pilot.lead_council_id)
        .where(Pilot.id.in_(list(lines)))
        .order_by(Pilot.id)
    )
    return [
        (ComparedPilot(pilot_id, pillars[pilot_id], type_name or "Other"), lines[pilot_id])
        for pilot_id, type_name in found
    ]


def _grouped(
    key: str, caption: str, compared: list[tuple[ComparedPilot, list[LineForecast]]],
    groups: Callable[[ComparedPilot, LineForecast], list[str]],
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
    compared = _compared()
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
            lambda p, _: [p.council_type],
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
