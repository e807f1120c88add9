"""An appraisal as entered, as plain JSON: what its content hash covers (and what an export or
the API can show). Ids and stored results are left out: the same inputs and seed give the same
document, the same hash and, by the simulation's design, the same results."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from app.appraisal.models import Appraisal, AppraisalOption

OPTION_FIELDS = ("kind", "name", "description", "kept", "reason", "process_years")
COST_FIELDS = (
    "name",
    "recurrence",
    "nature",
    "low_pence",
    "likely_pence",
    "high_pence",
    "years",
    "confidence_grade",
)
BENEFIT_FIELDS = (
    "name",
    "cashable",
    "category",
    "low_pence",
    "likely_pence",
    "high_pence",
    "years",
    "confidence_grade",
    "deadweight_percent",
    "displacement_percent",
    "leakage_percent",
    "substitution_percent",
    "unit_cost_reference",
)
STEP_FIELDS = (
    "stage",
    "name",
    "channel",
    "volume_low",
    "volume_likely",
    "volume_high",
    "staff_minutes",
    "cost_per_contact_pence",
)
APPRAISAL_FIELDS = (
    "horizon_years",
    "price_year",
    "discount_edition",
    "optimism_bias",
    "offline_floor_percent",
    "seed",
    "iterations",
)


def appraisal_document(appraisal: Appraisal) -> dict[str, Any]:
    return {
        **_fields(appraisal, APPRAISAL_FIELDS),
        "options": [_option(option) for option in appraisal.options],
    }


def _option(option: AppraisalOption) -> dict[str, Any]:
    return {
        **_fields(option, OPTION_FIELDS),
        "costs": [_fields(line, COST_FIELDS) for line in option.costs],
        "benefits": [_fields(line, BENEFIT_FIELDS) for line in option.benefits],
        "steps": [_fields(step, STEP_FIELDS) for step in option.steps],
    }


def _fields(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in names}


def _plain(value: Any) -> Any:
    # Decimals as normalised text, so 12.5 entered and 12.50 read back hash alike.
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def content_hash(appraisal: Appraisal) -> str:
    """sha256 over the appraisal's document, keys sorted."""
    text = json.dumps(appraisal_document(appraisal), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
