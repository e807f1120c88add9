"""An appraisal's lines as CSV: exported with the figures the page shows, imported all or nothing.

One row a line: a cost, a benefit or a process step of one option, its low / likely / high (pounds
for costs, benefits and costs per contact; contacts a year for a step's volume) and the rest of
its fields. An import replaces the lines of the pilot's appraisal and keeps its settings (horizon,
price year, schedule, optimism bias, floor) and its options' descriptions; it goes through the
same checks and the same amendment rule as the form (`write_appraisal`), so a registered pilot's
import needs a reason and nothing is saved while anything is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from app.appraisal.amending import write_appraisal
from app.appraisal.models import (
    Appraisal,
    AppraisalOption,
    BenefitLine,
    CostLine,
    ProcessStep,
)
from app.appraisal.service import appraisal_of
from app.appraisal.validation import MAX_PILOT_HORIZON, AppraisalError
from app.auth.models import User
from app.common.csv_output import csv_lines
from app.common.db_types import utcnow
from app.common.importing import ImportFailed, csv_rows
from app.common.money import parse_pounds, pounds_text
from app.pilots.models import Pilot

# Far more than any pilot's appraisal has (4 options × 30 lines is the benchmark's model); a
# longer file is refused before it is read.
MAX_LINES = 2_000
HEADER = [
    "option_kind",
    "option_name",
    "line",
    "name",
    "low",
    "likely",
    "high",
    "years",
    "confidence_grade",
    "recurrence",
    "nature",
    "cashable",
    "category",
    "deadweight_percent",
    "displacement_percent",
    "leakage_percent",
    "substitution_percent",
    "unit_cost_reference",
    "stage",
    "channel",
    "staff_minutes",
    "cost_per_contact",
]
NUMERIC = {HEADER.index(k) for k in ("low", "likely", "high", "confidence_grade")}
LINE_KINDS = ("cost", "benefit", "step")


class LinesImportError(ValueError):
    """Nothing was imported; `problems` says why, a line at a time."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else format(Decimal(value).normalize(), "f")


def _rows(appraisal: Appraisal) -> Iterator[list[str]]:
    for option in appraisal.options:
        start = [option.kind, option.name]
        for cost in option.costs:
            yield [*start, "cost", cost.name, *_money(cost), _years(cost.years),
                   str(cost.confidence_grade), cost.recurrence, cost.nature,
                   *[""] * 11]  # fmt: skip
        for benefit in option.benefits:
            yield [*start, "benefit", benefit.name, *_money(benefit), _years(benefit.years),
                   str(benefit.confidence_grade), "", "", "yes" if benefit.cashable else "no",
                   benefit.category, _decimal(benefit.deadweight_percent),
                   _decimal(benefit.displacement_percent), _decimal(benefit.leakage_percent),
                   _decimal(benefit.substitution_percent), benefit.unit_cost_reference,
                   "", "", "", ""]  # fmt: skip
        for step in option.steps:
            yield [*start, "step", step.name, str(step.volume_low), str(step.volume_likely),
                   str(step.volume_high), _years(option.process_years), "", "", "", "", "",
                   "", "", "", "", "", step.stage, step.channel, _decimal(step.staff_minutes),
                   pounds_text(step.cost_per_contact_pence)]  # fmt: skip


def _money(line: CostLine | BenefitLine) -> list[str]:
    return [
        pounds_text(line.low_pence),
        pounds_text(line.likely_pence),
        pounds_text(line.high_pence),
    ]


def _years(years: list[int]) -> str:
    return " ".join(str(y) for y in years)


def export_lines(appraisal: Appraisal) -> Iterator[str]:
    """The appraisal's lines as CSV text, a line at a time."""
    return csv_lines(HEADER, _rows(appraisal), NUMERIC)


def read_upload(upload: Any) -> str:
    """The uploaded file's text; refused when it is missing, not UTF-8 text or too long."""
    if upload is None or not getattr(upload, "filename", ""):
        raise LinesImportError(["Choose a CSV file of the appraisal's lines"])
    try:
        raw = upload.read()
    finally:
        upload.close()  # a large upload is spooled to a temporary file: give it back now
    try:
        text: str = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LinesImportError(["The file must be CSV text saved as UTF-8"]) from None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines > MAX_LINES + 1:
        raise LinesImportError(
            [
                f"The file has {lines:,} lines: an appraisal takes at most {MAX_LINES:,}. "
                "Nothing was imported."
            ]
        )
    return text


def import_lines(pilot: Pilot, upload: Any, author: User | None, reason: str) -> Appraisal:
    """Replace the lines of the pilot's appraisal with the CSV's, all or nothing."""
    text = read_upload(upload)
    try:
        header, rows = csv_rows(text)
    except ImportFailed as error:
        raise LinesImportError([error.reason]) from None
    missing = [name for name in HEADER if name not in header]
    if missing:
        raise LinesImportError([f"The header lacks the column(s): {', '.join(missing)}"])
    if not rows:
        raise LinesImportError(["The file has no lines under its header"])
    earlier = appraisal_of(pilot)
    appraisal = _appraisal_like(earlier, rows)
    problems: list[str] = []
    options: dict[tuple[str, str], AppraisalOption] = {}
    row_lines: dict[str, int] = {}
    for row in rows:
        problems += [f"line {row.line}: {p}" for p in row.problems]
        values = row.values
        key = (values["option_kind"].strip(), values["option_name"].strip())
        option = options.get(key)
        if option is None:
            option = options[key] = _option_like(earlier, *key)
        kind = values["line"].strip()
        errors: list[str] = []
        if kind == "cost":
            option.costs.append(_cost(values, errors))
            row_lines[f"{_at(options, key)}-costs-{len(option.costs) - 1}"] = row.line
        elif kind == "benefit":
            option.benefits.append(_benefit(values, errors))
            row_lines[f"{_at(options, key)}-benefits-{len(option.benefits) - 1}"] = row.line
        elif kind == "step":
            option.steps.append(_step(values, errors))
            option.process_years = _year_list(values["years"], errors)
            row_lines[f"{_at(options, key)}-steps-{len(option.steps) - 1}"] = row.line
        else:
            errors.append("the line column is cost, benefit or step")
        problems += [f"line {row.line}: {e}" for e in errors]
    if problems:
        raise LinesImportError(problems)
    appraisal.options = list(options.values())
    try:
        return write_appraisal(pilot, appraisal, author, reason)
    except AppraisalError as error:
        raise LinesImportError(_by_line(error.errors, row_lines)) from None


def _at(options: dict[tuple[str, str], AppraisalOption], key: tuple[str, str]) -> str:
    return f"options-{list(options).index(key)}"


def _by_line(errors: dict[str, str], row_lines: dict[str, int]) -> list[str]:
    """The service's errors, each with the CSV line it is about where there is one."""
    found = []
    for field, message in errors.items():
        line = next((n for prefix, n in row_lines.items() if field.startswith(f"{prefix}-")), None)
        found.append(f"line {line}: {message}" if line else message)
    return found


def _appraisal_like(earlier: Appraisal | None, rows: list[Any]) -> Appraisal:
    if earlier is None:
        return Appraisal(horizon_years=MAX_PILOT_HORIZON, price_year=utcnow().year)
    return Appraisal(
        horizon_years=earlier.horizon_years,
        price_year=earlier.price_year,
        discount_edition=earlier.discount_edition,
        optimism_bias=earlier.optimism_bias,
        offline_floor_percent=earlier.offline_floor_percent,
        seed=earlier.seed,
        iterations=earlier.iterations,
    )


def _option_like(earlier: Appraisal | None, kind: str, name: str) -> AppraisalOption:
    old = next(
        (o for o in (earlier.options if earlier else []) if (o.kind, o.name) == (kind, name)),
        None,
    )
    return AppraisalOption(
        kind=kind,
        name=name,
        description=old.description if old else "",
        kept=old.kept if old else True,
        reason=old.reason if old else "",
        process_years=list(old.process_years) if old else [],
        costs=[],
        benefits=[],
        steps=[],
    )


def _pence(raw: str, what: str, errors: list[str]) -> int | None:
    try:
        return parse_pounds(raw.strip())
    except ValueError as error:
        errors.append(f"{what}: {error}")
        return None


def _whole(raw: str, what: str, errors: list[str]) -> int | None:
    text = raw.strip().replace(",", "")
    if not text.lstrip("-").isdigit() or len(text) > 12:
        errors.append(f"{what} must be a whole number")
        return None
    return int(text)


def _percent(raw: str, what: str, errors: list[str]) -> Decimal:
    """A decimal cell (a percentage or minutes); empty is 0."""
    try:
        value = Decimal(raw.strip() or "0")
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        errors.append(f"{what} must be a number, like 10 or 12.5")
        return Decimal(0)
    return value


def _year_list(raw: str, errors: list[str]) -> list[int]:
    parts = raw.replace(",", " ").split()
    if not all(p.isdigit() and len(p) <= 3 for p in parts):
        errors.append("years are whole numbers separated by spaces, like 0 1 2")
        return []
    return [int(p) for p in parts]


def _ranges(values: dict[str, str], errors: list[str]) -> dict[str, Any]:
    return {
        f"{name}_pence": _pence(values[name], name, errors) for name in ("low", "likely", "high")
    }


def _cost(values: dict[str, str], errors: list[str]) -> CostLine:
    return CostLine(
        name=values["name"].strip(),
        recurrence=values["recurrence"].strip(),
        nature=values["nature"].strip(),
        years=_year_list(values["years"], errors),
        confidence_grade=_whole(values["confidence_grade"], "confidence_grade", errors),
        **_ranges(values, errors),
    )


def _benefit(values: dict[str, str], errors: list[str]) -> BenefitLine:
    cashable = values["cashable"].strip().lower()
    if cashable not in ("yes", "no"):
        errors.append("cashable is yes or no")
    return BenefitLine(
        name=values["name"].strip(),
        cashable=cashable == "yes",
        category=values["category"].strip(),
        years=_year_list(values["years"], errors),
        confidence_grade=_whole(values["confidence_grade"], "confidence_grade", errors),
        unit_cost_reference=values["unit_cost_reference"].strip(),
        **{
            f"{name}_percent": _percent(values[f"{name}_percent"], f"{name}_percent", errors)
            for name in ("deadweight", "displacement", "leakage", "substitution")
        },
        **_ranges(values, errors),
    )


def _step(values: dict[str, str], errors: list[str]) -> ProcessStep:
    return ProcessStep(
        name=values["name"].strip(),
        stage=values["stage"].strip(),
        channel=values["channel"].strip(),
        volume_low=_whole(values["low"], "low", errors),
        volume_likely=_whole(values["likely"], "likely", errors),
        volume_high=_whole(values["high"], "high", errors),
        staff_minutes=_percent(values["staff_minutes"], "staff_minutes", errors),
        cost_per_contact_pence=_pence(values["cost_per_contact"], "cost_per_contact", errors),
    )
