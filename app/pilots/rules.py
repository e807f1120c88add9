"""The rules a pilot's fields must meet, one set for every way in: the form (forms/pilot.py takes
its limits from here, and editing.save_pilot checks them again), the importer, and the API.

The form says most of this first, in its own words, as the person types; these rules are what
holds whatever the way in. Each maps a PilotData field to how to fix it."""

from __future__ import annotations

import re
from decimal import Decimal

from app.common.dates import EARLIEST_YEAR, LATEST_YEAR, year_in_range
from app.common.money import MAX_POUNDS
from app.common.text import strip_control
from app.pilots.service import PilotData

MAX_LENGTHS = {
    "title": 140,
    "summary": 1000,
    "problem": 5000,
    "hypothesis": 3000,
    "approach": 5000,
    "offline_access": 3000,
    "location": 200,
    "case_study": 100_000,
}
MAX_TAG_LENGTH = 60
DATES = ("start_date", "planned_end_date", "actual_end_date")
COSTS = ("planned_cost_pence", "actual_cost_pence")
GSS_CODE = re.compile(r"^[A-Z][0-9]{8}$")
LATITUDE = (Decimal("49"), Decimal("61"))
LONGITUDE = (Decimal("-9"), Decimal("2"))


def field_problems(data: PilotData) -> dict[str, str]:
    """Each field on its own: lengths, characters, dates, money and coordinates."""
    errors: dict[str, str] = {}
    for name, limit in MAX_LENGTHS.items():
        text = getattr(data, name) or ""
        if len(text) > limit:
            errors[name] = f"{len(text)} characters; the most is {limit}"
        elif strip_control(text) != text:
            errors[name] = "Remove the control characters"
    if any(len(tag) > MAX_TAG_LENGTH for tag in data.tags):
        errors["tags"] = f"Each tag must be {MAX_TAG_LENGTH} characters or fewer"
    for name in DATES:
        value = getattr(data, name)
        if value is not None and not year_in_range(value):
            errors[name] = f"Use a year between {EARLIEST_YEAR} and {LATEST_YEAR}"
    for name in COSTS:
        value = getattr(data, name)
        if value is not None and value < 0:
            errors[name] = "Cost cannot be negative"
        elif value is not None and value > MAX_POUNDS * 100:
            errors[name] = f"Enter an amount no more than £{MAX_POUNDS:,}"
    if data.location_gss and not GSS_CODE.match(data.location_gss):
        errors["location_gss"] = "The area's GSS code must be a letter and 8 digits, like E05009388"
    for name, (low, high) in (("latitude", LATITUDE), ("longitude", LONGITUDE)):
        value = getattr(data, name)
        if value is not None and not low <= value <= high:
            errors[name] = f"Must be between {low} and {high}"
    return errors


def check_pilot_rules(data: PilotData) -> dict[str, str]:
    """Every rule, each field's and those across fields: field name → how to fix it."""
    errors = field_problems(data)
    if data.start_date and data.planned_end_date and data.planned_end_date < data.start_date:
        errors["planned_end_date"] = "The planned end date must be on or after the start date"
    if data.start_date and data.actual_end_date and data.actual_end_date < data.start_date:
        errors["actual_end_date"] = "The actual end date must be on or after the start date"
    if data.lead_council in data.partners:
        errors["partners"] = "The lead council cannot also be a partner council"
    if not 1 <= len(data.pillars) <= 6:
        errors["pillars"] = "Choose between one and six pillars"
    return errors
