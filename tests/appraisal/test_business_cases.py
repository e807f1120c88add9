"""/business-cases from the lines' columns agrees with the figures worked out from scratch: every
appraisal loaded whole, the option carried out chosen from it, each line's forecast taken, and
the tallies added up, on varied pilots, options, grades and outturns."""

from __future__ import annotations

import random
from collections import defaultdict

from sqlalchemy import select

from app.appraisal.business_cases import Tally, business_cases
from app.appraisal.models import Appraisal
from app.appraisal.outturn import LineFigures, carried_out, forecasts, forecasts_of, line_forecast
from app.appraisal.service import save_appraisal
from app.extensions import db
from app.pillars.service import pillar_names
from app.pilots.models import Pilot
from tests.appraisal.factories import build_appraisal, build_benefit, build_cost, build_option
from tests.factories import create_council, create_pilot

KINDS = ("business-as-usual", "do-minimum", "preferred", "alternative")


def _lines(rng: random.Random, build, count: int) -> list:  # type: ignore[no-untyped-def]
    lines = []
    for n in range(count):
        likely = rng.randrange(1_000_00, 50_000_00)
        years = sorted(rng.sample(range(3), rng.randint(1, 3)))
        lines.append(build(f"Line {n}", likely, low=likely // 2, high=likely * 2, years=years,
                           grade=rng.randint(1, 5)))  # fmt: skip
    return lines


def _varied_registry(seed: int) -> None:
    rng = random.Random(seed)
    councils = [create_council(la_type_name=name) for name in ("Unitary authority", "District", "")]
    pillars = ["inclusion", "developing-solutions", "business-case"]
    for _ in range(12):
        status = rng.choice(["draft", "running", "concluded", "concluded"])
        pilot = create_pilot(
            rng.choice(councils), status=status, pillars=rng.sample(pillars, rng.randint(1, 2))
        )
        kinds = rng.choice([["preferred"], ["alternative"], ["alternative", "do-minimum"],
                            ["business-as-usual", "preferred", "alternative"]])  # fmt: skip
        options = [
            build_option(kind, costs=_lines(rng, build_cost, rng.randint(1, 3)),
                         benefits=_lines(rng, build_benefit, rng.randint(1, 2)))
            for kind in kinds
        ]  # fmt: skip
        saved = save_appraisal(pilot, build_appraisal(*options, iterations=500))
        for option in saved.options:
            for line in [*option.costs, *option.benefits]:
                if rng.random() < 0.6:
                    line.outturn_pence = rng.randrange(0, 120_000_00)
        db.session.commit()


def _from_scratch() -> tuple[Tally, dict[str, list[list[object]]]]:
    names = pillar_names()
    overall = Tally()
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for appraisal in db.session.scalars(select(Appraisal)):
        pilot = db.session.get(Pilot, appraisal.pilot_id)
        option = carried_out(appraisal)
        if pilot is None or pilot.status == "draft" or option is None:
            continue
        for line in forecasts(option):
            if line.outturn_pence is None:
                continue
            overall.add(pilot.id, line)
            for slug in pilot.pillars:
                tallies["by-pillar"][names.get(slug, slug)].add(pilot.id, line)
            tallies["by-council-type"][pilot.lead_council.la_type_name or "Other"].add(
                pilot.id, line
            )
            tallies["by-grade"][f"Grade {line.grade}"].add(pilot.id, line)
    rows = {key: [t[g].row(g) for g in sorted(t)] for key, t in tallies.items()}
    return overall, rows


def test_business_cases_agree_with_the_figures_worked_out_from_scratch(app_ctx):
    for seed in range(3):
        _varied_registry(seed)
        expected_overall, expected_rows = _from_scratch()
        cases = business_cases()
        assert expected_overall.lines > 0
        assert cases.overall.row("") == expected_overall.row("")
        assert cases.overall.pilots == expected_overall.pilots
        for table in cases.tables:
            assert table.rows == expected_rows.get(table.key, []), table.key


def test_business_cases_with_no_outturn_say_so(client):
    html = client.get("/business-cases").get_data(as_text=True)
    assert "No pilot has recorded its outturn against a business case yet." in html


def test_forecasts_of_many_lines_at_once_match_each_line_on_its_own(app_ctx):
    rng = random.Random(7)
    lines = []
    for n in range(300):
        likely = rng.randrange(0, 90_000_00)
        low = rng.choice([likely, rng.randrange(0, likely + 1)])
        high = rng.choice([likely, likely + rng.randrange(0, 90_000_00)])
        build = rng.choice([build_cost, build_benefit])
        line = build(f"Line {n}", likely, low=low, high=high,
                     years=list(range(rng.randint(0, 4))), grade=rng.randint(1, 5))  # fmt: skip
        line.id = n
        line.outturn_pence = rng.choice([None, rng.randrange(0, 10_000_00)])
        lines.append((line, "cost" if build is build_cost else "benefit"))
    figures = [
        LineFigures(side, line.id, line.name, line.confidence_grade,
                    (line.low_pence, line.likely_pence, line.high_pence), len(line.years),
                    line.outturn_pence)
        for line, side in lines
    ]  # fmt: skip
    assert forecasts_of(figures) == [line_forecast(line, side) for line, side in lines]
    assert forecasts_of([]) == []
