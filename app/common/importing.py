"""What every all-or-nothing importer reports when rows are bad."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.common.csv_output import GUARDED_CELL


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportFailed(Exception):
    """Nothing was imported; `errors` names every bad row, `reason` a file-level problem."""

    def __init__(self, errors: list[RowError], reason: str = "") -> None:
        self.errors = errors
        self.reason = reason or f"{len(errors)} bad row(s); nothing was imported"
        super().__init__(self.reason)


def parse_iso_date(raw: str, column: str, errors: list[str]) -> date | None:
    """A `YYYY-MM-DD` cell as a date; empty is None, and a bad one adds its reason to `errors`."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(f"{column} {raw!r} is not a date in the form YYYY-MM-DD")
        return None


def unguarded_cell(raw: str) -> str:
    """A cell as it was typed: without the `'` the registry's CSV exports put before text that
    a spreadsheet would run as a formula (see app/common/csv_output.py)."""
    return raw[1:] if raw.startswith("'") and GUARDED_CELL.match(raw[1:]) else raw
