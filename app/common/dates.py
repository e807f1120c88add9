"""The dates the registry takes from anyone (a form, an import, the API), and date arithmetic
that cannot overflow on the dates it took before it had that rule.

A date in 9999 is a valid `date`, but a report due 90 days after it is not (`OverflowError`): one
imported pilot ending 9999-12-31 took down /overdue and every page that counts reports."""

from __future__ import annotations

from datetime import date, timedelta

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def year_in_range(value: date) -> bool:
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def days_after(value: date, delta: timedelta) -> date:
    """`value + delta`, or the last date there is when that would be later still."""
    try:
        return value + delta
    except OverflowError:
        return date.max if delta > timedelta(0) else date.min
