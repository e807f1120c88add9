"""Green Book discount factors and the value-for-money category of a benefit–cost ratio."""

from __future__ import annotations

from collections.abc import Sequence

from app.appraisal.reference import DiscountSchedule, ValueBand


def discount_factors(schedule: DiscountSchedule, years: int) -> list[float]:
    """The factors for years 0 .. years − 1: year 0 (the base year) is 1, and each later year is
    the one before divided by (1 + that year's rate). Cumulative, so that where the rate steps
    down (3.5 % to 3.0 % after year 30) the later rate applies only to the later years."""
    factors = []
    factor = 1.0
    for year in range(years):
        if year > 0:
            factor /= 1.0 + float(schedule.rate_for(year))
        factors.append(factor)
    return factors


def value_for_money(ratio: float | None, bands: Sequence[ValueBand]) -> ValueBand | None:
    """The band the ratio falls in; a ratio on a boundary takes the upper band. None when there
    is no ratio (no costs to divide by)."""
    if ratio is None:
        return None
    found = bands[0]
    for band in bands:
        if band.lower is not None and ratio >= band.lower:
            found = band
    return found
