"""The appraisal form's rows as posted form data: what an existing appraisal fills the form with,
and what "Add another" and "Remove" buttons do to it.

Working on the posted text itself (not on parsed values) keeps whatever the person typed, even
what is not valid yet, when a row is added or removed; the form is then built from the result,
as if it had been posted that way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from werkzeug.datastructures import MultiDict

from app.appraisal.document import appraisal_document
from app.appraisal.models import Appraisal
from app.appraisal.reference import Reference
from app.common.money import pounds_text

LISTS = ("options", "costs", "benefits", "steps")
# `add:options-0-costs` adds a cost line to the first option; `remove:options-0-costs-2` removes
# its third; `add:options` adds an option.
ACTION = re.compile(r"^(add|remove):(options(?:-\d+-(?:costs|benefits|steps))?)(?:-(\d+))?$")
STARTING_OPTIONS = ("business-as-usual", "do-minimum", "preferred", "alternative")
PENCE_FIELDS = ("low_pence", "likely_pence", "high_pence", "cost_per_contact_pence")


def _text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name in PENCE_FIELDS:
        return pounds_text(int(value))
    return str(value)


def _flatten(prefix: str, values: dict[str, Any], into: list[tuple[str, str]]) -> None:
    for name, value in values.items():
        if name in LISTS[1:]:
            for n, row in enumerate(value):
                _flatten(f"{prefix}{name}-{n}-", row, into)
        else:
            into.append((f"{prefix}{name}", _text(name, value)))


def formdata_of(appraisal: Appraisal | None, reference: Reference, price_year: int) -> MultiDict:
    """The form's text for an appraisal (a new one: the four options of the Green Book's
    shortlist, each with an empty cost and benefit line)."""
    pairs: list[tuple[str, str]] = []
    if appraisal is None:
        pairs += [
            ("horizon_years", ""),
            ("price_year", str(price_year)),
            ("discount_edition", reference.default_edition),
        ]
        for n, kind in enumerate(STARTING_OPTIONS):
            pairs += [(f"options-{n}-kind", kind), (f"options-{n}-kept", "yes")]
            pairs += new_row(f"options-{n}-costs-0", reference)
            pairs += new_row(f"options-{n}-benefits-0", reference)
        return MultiDict(pairs)
    document = appraisal_document(appraisal)
    table = document.pop("optimism_bias") or {}
    for key in ("horizon_years", "price_year", "discount_edition", "offline_floor_percent"):
        pairs.append((key, _text(key, document[key])))
    pairs += [(f"ob_{grade}", percent) for grade, percent in table.items()]
    for n, option in enumerate(document["options"]):
        _flatten(f"options-{n}-", option, pairs)
    return MultiDict(pairs)


def new_row(prefix: str, reference: Reference) -> list[tuple[str, str]]:
    """An empty row at `prefix`; a benefit line starts from the reference's additionality."""
    if "-benefits-" in prefix:
        return [(f"{prefix}-name", "")] + [
            (f"{prefix}-{name}_percent", format(value.normalize(), "f"))
            for name, value in reference.additionality.items()
        ]
    if prefix.startswith("options-") and prefix.count("-") == 1:
        return [(f"{prefix}-kind", "alternative"), (f"{prefix}-kept", "yes")]
    return [(f"{prefix}-name", "")]


def _indices(keys: Iterable[str], prefix: str) -> set[int]:
    found = set()
    for key in keys:
        match = re.match(rf"^{re.escape(prefix)}-(\d+)-", key)
        if match:
            found.add(int(match.group(1)))
    return found


def apply_action(formdata: MultiDict, action: str, reference: Reference) -> MultiDict | None:
    """The form data with the row added or removed, renumbered; None for no such action."""
    found = ACTION.match(action or "")
    if not found:
        return None
    verb, prefix, number = found.group(1), found.group(2), found.group(3)
    pairs = [(k, v) for k, v in formdata.items(multi=True) if k not in ("action", "csrf_token")]
    if verb == "add" and number is None:
        next_index = max(_indices((k for k, _ in pairs), prefix), default=-1) + 1
        return MultiDict(pairs + new_row(f"{prefix}-{next_index}", reference))
    if verb != "remove" or number is None:
        return None
    gone = int(number)
    renumbered = []
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-(.*)$")
    for key, value in pairs:
        match = pattern.match(key)
        if match and int(match.group(1)) == gone:
            continue
        if match and int(match.group(1)) > gone:
            key = f"{prefix}-{int(match.group(1)) - 1}-{match.group(2)}"
        renumbered.append((key, value))
    return MultiDict(renumbered)
