"""Forecast against outturn: what each line of the option carried out came to, beside what the
appraisal forecast for it.

The option carried out is the preferred one (the only one, when there is one). A line's forecast
over the pilot is its yearly figure times the number of years it falls in, as entered: before
optimism bias and additionality, undiscounted, because the outturn is what was spent or measured,
and the ratio of the two is then the council's own optimism. Its P5, P50 and P95 are the
triangular distribution's (the line's years move together, as in the simulation).

The outturn is recorded by the lead council's editors once the pilot's outcome report is filed;
it is not part of the appraisal's content hash (the forecast stays frozen beside it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.appraisal.models import Appraisal, AppraisalOption, BenefitLine, CostLine
from app.appraisal.service import appraisal_of
from app.appraisal.simulation import triangular_quantile
from app.appraisal.validation import MAX_PENCE, AppraisalError
from app.auth.models import User
from app.common.conflicts import lock_row
from app.extensions import db
from app.pilots.models import Pilot
from app.pilots.results import outcome_of

QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class LineForecast:
    key: str  # the form's field: cost-3, benefit-0 (by the line's id)
    side: str  # "cost" or "benefit"
    name: str
    grade: int
    p5_pence: int
    p50_pence: int
    p95_pence: int
    outturn_pence: int | None

    @property
    def ratio(self) -> float | None:
        """Outturn over the P50 forecast (1.2: 20% more than forecast)."""
        if self.outturn_pence is None or not self.p50_pence:
            return None
        return self.outturn_pence / self.p50_pence

    @property
    def inside(self) -> bool | None:
        """Whether the outturn fell inside the forecast's P5–P95."""
        if self.outturn_pence is None:
            return None
        return self.p5_pence <= self.outturn_pence <= self.p95_pence


def carried_out(appraisal: Appraisal) -> AppraisalOption | None:
    """The option the pilot carried out: the preferred one, or the only one."""
    options = appraisal.options
    preferred = [o for o in options if o.kind == "preferred"]
    return preferred[0] if preferred else (options[0] if len(options) == 1 else None)


def line_forecast(line: CostLine | BenefitLine, side: str) -> LineForecast:
    return forecast_of(
        side,
        line.id,
        line.name,
        line.confidence_grade,
        (line.low_pence, line.likely_pence, line.high_pence),
        len(line.years or []),
        line.outturn_pence,
    )


def forecast_of(
    side: str,
    line_id: int,
    name: str,
    grade: int,
    yearly: tuple[int, int, int],
    years: int,
    outturn_pence: int | None,
) -> LineForecast:
    """A line's forecast from its figures (`yearly`: low, likely and high a year), for readers
    that select the columns rather than load the line."""
    low, likely, high = (float(v) for v in yearly)
    # To the whole pound, as the appraisal page shows figures: the ranges are not that precise.
    p5, p50, p95 = (
        round(float(triangular_quantile(q, low, likely, high)) * years / 100) * 100  # type: ignore[arg-type]
        for q in QUANTILES
    )
    return LineForecast(f"{side}-{line_id}", side, name, grade, p5, p50, p95, outturn_pence)


@dataclass(frozen=True)
class LineFigures:
    side: str
    line_id: int
    name: str
    grade: int
    yearly: tuple[int, int, int]
    years: int
    outturn_pence: int | None


def forecasts_of(lines: list[LineFigures]) -> list[LineForecast]:
    """forecast_of for many lines at once: each quantile of every line in one numpy step (the
    same arithmetic, element by element), for the registry-wide tables."""
    if not lines:
        return []
    low, likely, high = (
        np.array([float(line.yearly[i]) for line in lines], dtype=np.float64) for i in range(3)
    )
    quantiles = [triangular_quantile(q, low, likely, high) for q in QUANTILES]
    found = []
    for i, line in enumerate(lines):
        p5, p50, p95 = (round(float(q[i]) * line.years / 100) * 100 for q in quantiles)
        found.append(
            LineForecast(
                f"{line.side}-{line.line_id}", line.side, line.name, line.grade, p5, p50, p95,
                line.outturn_pence,
            )
        )  # fmt: skip
    return found


def forecasts(option: AppraisalOption) -> list[LineForecast]:
    """Every cost and benefit line of the option with its forecast and outturn."""
    return [
        *(line_forecast(line, "cost") for line in option.costs),
        *(line_forecast(line, "benefit") for line in option.benefits),
    ]


@dataclass
class Outturn:
    pilot: Pilot
    option: AppraisalOption
    lines: list[LineForecast]
    reported: bool  # the outcome report is filed, so the outturn may be recorded


def pilot_outturn(pilot: Pilot) -> Outturn | None:
    """The pilot's forecast and outturn by line, or None when it has no appraisal to compare."""
    appraisal = appraisal_of(pilot)
    option = carried_out(appraisal) if appraisal else None
    if option is None:
        return None
    return Outturn(pilot, option, forecasts(option), outcome_of(pilot) is not None)


def record_outturn(pilot: Pilot, values: dict[str, int | None], author: User | None) -> None:
    """Set what each line of the option carried out came to (`values`: line key → pence, None
    to clear), in one transaction. Only once the outcome report is filed; a figure below £0 or
    a key that names no line is refused and nothing is saved."""
    lock_row(pilot)
    found = pilot_outturn(pilot)
    if found is None:
        raise AppraisalError({"outturn": "This pilot has no appraisal to compare with"})
    if not found.reported:
        raise AppraisalError(
            {"outturn": "Record the outturn once the pilot's outcome report is filed"}
        )
    lines = {f"cost-{c.id}": c for c in found.option.costs} | {
        f"benefit-{b.id}": b for b in found.option.benefits
    }
    errors = {
        key: "Enter an amount of £0 or more"
        for key, pence in values.items()
        if key in lines and pence is not None and not 0 <= pence <= MAX_PENCE * 10
    }
    errors |= {key: "There is no such line" for key in values if key not in lines}
    if errors:
        db.session.rollback()
        raise AppraisalError(errors)
    for key, pence in values.items():
        lines[key].outturn_pence = pence
    db.session.commit()
