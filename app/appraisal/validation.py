"""What makes an appraisal unfit to save, each problem against the field to fix.

Fields are named as the forms will name them: `options-0-costs-2-high_pence` is the high figure
of the third cost line of the first option.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from app.appraisal.models import (
    BENEFIT_CATEGORIES,
    CHANNELS,
    NATURES,
    OPTION_KINDS,
    RECURRENCES,
    STAGES,
    Appraisal,
    AppraisalOption,
    BenefitLine,
    CostLine,
    ProcessStep,
)
from app.appraisal.reference import ADDITIONALITY, GRADES, Reference

MAX_PILOT_HORIZON = 10
ONCE_ONLY = ("business-as-usual", "do-minimum", "preferred")
PRICE_YEARS = range(2000, 2101)
# No council's yearly figure is a billion pounds: keeps sums well inside 64 bits.
MAX_PENCE = 1_000_000_000 * 100
MAX_VOLUME = 100_000_000


class AppraisalError(ValueError):
    """The appraisal cannot be saved as entered; `errors` maps each field to how to fix it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def check_appraisal(
    appraisal: Appraisal, reference: Reference, max_horizon: int = MAX_PILOT_HORIZON
) -> dict[str, str]:
    """Every problem with the appraisal as entered; empty when it may be saved."""
    errors: dict[str, str] = {}
    horizon = appraisal.horizon_years
    if not _is_int(horizon) or not 1 <= horizon <= max_horizon:
        errors["horizon_years"] = f"Enter a horizon of 1 to {max_horizon} years"
        horizon = max_horizon
    if not _is_int(appraisal.price_year) or appraisal.price_year not in PRICE_YEARS:
        errors["price_year"] = "Enter the price year, like 2026"
    if appraisal.discount_edition and appraisal.discount_edition not in reference.schedules:
        errors["discount_edition"] = "Choose a discount schedule the registry has"
    if appraisal.offline_floor_percent is not None:
        _percent(errors, "offline_floor_percent", appraisal.offline_floor_percent)
    if appraisal.optimism_bias is not None:
        _optimism_bias(errors, appraisal.optimism_bias)
    if not appraisal.options:
        errors["options"] = "Add the options: at least the one you prefer"
    for kind in ONCE_ONLY:
        if sum(o.kind == kind for o in appraisal.options) > 1:
            errors["options"] = f"Only one option can be the {kind.replace('-', ' ')}"
    for n, option in enumerate(appraisal.options):
        _option(errors, f"options-{n}", option, horizon)
    return errors


def _option(errors: dict[str, str], at: str, option: AppraisalOption, horizon: int) -> None:
    if option.kind not in OPTION_KINDS:
        errors[f"{at}-kind"] = "Choose business as usual, do-minimum, preferred or alternative"
    if not (option.name or "").strip():
        errors[f"{at}-name"] = "Enter a name for the option"
    if not (option.costs or option.benefits or option.steps):
        errors[at] = "Add at least one cost, benefit or process step to this option"
    _unique_names(errors, f"{at}-costs", option.costs)
    _unique_names(errors, f"{at}-benefits", option.benefits)
    for n, cost in enumerate(option.costs):
        _cost(errors, f"{at}-costs-{n}", cost, horizon)
    for n, benefit in enumerate(option.benefits):
        _benefit(errors, f"{at}-benefits-{n}", benefit, horizon)
    for n, step in enumerate(option.steps):
        _step(errors, f"{at}-steps-{n}", step)
    if option.steps:
        if {s.stage for s in option.steps} != set(STAGES):
            errors[f"{at}-steps"] = "Enter the steps as they are (as-is) and as they would be"
        _years(errors, f"{at}-process_years", option.process_years, horizon)


def _unique_names(errors: dict[str, str], at: str, lines: Sequence[Any]) -> None:
    seen: set[str] = set()
    for n, line in enumerate(lines):
        name = " ".join((line.name or "").split()).casefold()
        if not name:
            errors[f"{at}-{n}-name"] = "Enter a name for the line"
        elif name in seen:
            errors[f"{at}-{n}-name"] = "Another line of this option has this name"
        seen.add(name)


def _cost(errors: dict[str, str], at: str, line: CostLine, horizon: int) -> None:
    if line.recurrence not in RECURRENCES:
        errors[f"{at}-recurrence"] = "Choose one-off or recurring"
    if line.nature not in NATURES:
        errors[f"{at}-nature"] = "Choose capital or revenue"
    _range(errors, at, ("low_pence", "likely_pence", "high_pence"), line, MAX_PENCE, "cost")
    _years(errors, f"{at}-years", line.years, horizon)
    if line.recurrence == "one-off" and len(line.years or []) > 1:
        errors[f"{at}-years"] = "A one-off cost falls in one year: choose one, or make it recurring"
    _grade(errors, at, line.confidence_grade)


def _benefit(errors: dict[str, str], at: str, line: BenefitLine, horizon: int) -> None:
    if not isinstance(line.cashable, bool):
        errors[f"{at}-cashable"] = "Say whether the benefit is cashable"
    if line.category not in BENEFIT_CATEGORIES:
        errors[f"{at}-category"] = "Choose fiscal, economic or social"
    _range(errors, at, ("low_pence", "likely_pence", "high_pence"), line, MAX_PENCE, "benefit")
    _years(errors, f"{at}-years", line.years, horizon)
    _grade(errors, at, line.confidence_grade)
    for name in ADDITIONALITY:
        value = getattr(line, f"{name}_percent")
        if value is not None:
            _percent(errors, f"{at}-{name}_percent", value)


def _step(errors: dict[str, str], at: str, step: ProcessStep) -> None:
    if step.stage not in STAGES:
        errors[f"{at}-stage"] = "Choose as-is or to-be"
    if not (step.name or "").strip():
        errors[f"{at}-name"] = "Enter the step's name"
    if step.channel not in CHANNELS:
        errors[f"{at}-channel"] = "Choose face to face, phone, web, post or assisted digital"
    fields = ("volume_low", "volume_likely", "volume_high")
    _range(errors, at, fields, step, MAX_VOLUME, "volume")
    cost = step.cost_per_contact_pence
    if not _is_int(cost) or not 0 <= cost <= MAX_PENCE:
        errors[f"{at}-cost_per_contact_pence"] = "Enter a cost per contact of £0 or more"
    minutes = step.staff_minutes or 0
    if not 0 <= minutes <= 24 * 60:
        errors[f"{at}-staff_minutes"] = "Enter the staff minutes per contact, 0 to 1,440"
    no_contacts = all(getattr(step, f) == 0 for f in fields)
    if no_contacts and (cost or minutes) and f"{at}-cost_per_contact_pence" not in errors:
        errors[f"{at}-volume_likely"] = (
            "A step with no yearly contacts cannot save anything: enter its volume, "
            "or remove the step"
        )


def _range(
    errors: dict[str, str], at: str, fields: Sequence[str], line: Any, most: int, what: str
) -> None:
    """Low, likely and high: whole numbers, not negative, low ≤ likely ≤ high."""
    _, likely_field, high_field = fields
    values = [getattr(line, f) for f in fields]
    for field, value in zip(fields, values, strict=True):
        if not _is_int(value):
            errors[f"{at}-{field}"] = f"Enter the {what} as a whole number"
        elif value < 0 and what != "benefit":
            errors[f"{at}-{field}"] = f"A {what} cannot be negative"
        elif abs(value) > most:
            errors[f"{at}-{field}"] = f"Enter a {what} no larger than {most:,}"
    if any(f"{at}-{f}" in errors for f in fields):
        return
    low, likely, high = values
    if high < low:
        errors[f"{at}-{high_field}"] = f"The high {what} must be at least the low one"
    elif not low <= likely <= high:
        errors[f"{at}-{likely_field}"] = f"The most likely {what} must be between low and high"


def _years(errors: dict[str, str], at: str, years: Any, horizon: int) -> None:
    if not years:
        errors[at] = "Choose the years it falls in"
    elif not all(_is_int(y) for y in years) or len(set(years)) != len(years):
        errors[at] = "Enter each year once, as a whole number"
    elif not all(0 <= y < horizon for y in years):
        errors[at] = f"Years run from 0 (the price year) to {horizon - 1}, within the horizon"


def _grade(errors: dict[str, str], at: str, grade: Any) -> None:
    if grade not in GRADES:
        errors[f"{at}-confidence_grade"] = "Choose a confidence grade from 1 to 5"


def _percent(errors: dict[str, str], at: str, value: Any) -> None:
    if not isinstance(value, int | Decimal) or isinstance(value, bool) or not 0 <= value <= 100:
        errors[at] = "Enter a percentage from 0 to 100"


def _optimism_bias(errors: dict[str, str], table: dict[str, str]) -> None:
    try:
        uplifts = {int(g): Decimal(p) for g, p in table.items()}
    except (ValueError, ArithmeticError):
        uplifts = {}
    if set(uplifts) != set(GRADES) or not all(0 <= p <= 1000 for p in uplifts.values()):
        errors["optimism_bias"] = "Give an optimism bias of 0% or more for each grade, 1 to 5"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
