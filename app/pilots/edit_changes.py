"""What an edit changed, for the audit log: each field's name, and its old and new value when
both are short enough to read in a table row (a changed hypothesis is named, not quoted)."""

from __future__ import annotations

from typing import Any

from app.pilots.models import Pilot

# The fields an officer edits on the pilot form, as the audit log names them.
EDITED_FIELDS = (
    "title", "hypothesis", "summary", "problem", "approach", "offline_access", "case_study",
    "location", "location_gss", "latitude", "longitude", "planned_cost_pence",
    "actual_cost_pence", "start_date", "planned_end_date", "actual_end_date",
    "evaluation_design",
)  # fmt: skip
SHORT_VALUE = 80  # longer values are named as changed, not copied into the log


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def pilot_field_values(pilot: Pilot) -> dict[str, str]:
    """The pilot's edited fields as text, to compare before and after an edit."""
    values = {name: _text(getattr(pilot, name)) for name in EDITED_FIELDS}
    values["lead_council"] = pilot.lead_council.code if pilot.lead_council else ""
    values["partners"] = ", ".join(sorted(c.code for c in pilot.partners))
    values["pillars"] = ", ".join(link.pillar_slug for link in pilot.pillar_links)
    values["tags"] = ", ".join(link.tag for link in pilot.tag_links)
    return values


def changed_fields(before: dict[str, str], after: dict[str, str]) -> list[dict[str, str]]:
    """One entry per changed field: its name, with old and new when both are short."""
    changes: list[dict[str, str]] = []
    for name, old in before.items():
        new = after.get(name, "")
        if old == new:
            continue
        if len(old) <= SHORT_VALUE and len(new) <= SHORT_VALUE:
            changes.append({"field": name, "old": old, "new": new})
        else:
            changes.append({"field": name})
    return changes
