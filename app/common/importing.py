"""What every all-or-nothing importer reports when rows are bad."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from app.common.csv_output import GUARDED_CELL

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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
        if not ISO_DATE.fullmatch(raw):  # fromisoformat alone takes 20260101 and 2026-W01-1
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(f"{column} {raw!r} is not a date in the form YYYY-MM-DD")
        return None


def unguarded_cell(raw: str) -> str:
    """A cell as it was typed: without the `'` the registry's CSV exports put before text that
    a spreadsheet would run as a formula (see app/common/csv_output.py)."""
    return raw[1:] if raw.startswith("'") and GUARDED_CELL.match(raw[1:]) else raw


@dataclass
class CsvRow:
    line: int  # where the row starts: a quoted value may run over several lines
    values: dict[str, str]
    problems: list[str]


def csv_rows(text: str) -> tuple[list[str], list[CsvRow]]:
    """The header, and each row by the header's names with the line it starts on, each value as
    it was typed (`unguarded_cell`). A row with more values than the header has columns says so
    in its `problems`; a file the csv module cannot read at all is ImportFailed with the line it
    stopped at. No value is too long to read here
    (csv's own limit is 131,072 characters): the importer's rules say how long each may be."""
    reader = csv.reader(io.StringIO(text))
    limit = csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    header: list[str] = []
    rows: list[CsvRow] = []
    line = 0
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not cells:
                continue
            if not header:
                header = cells
                continue
            extra = len(cells) - len(header)
            problems = []
            if extra > 0:
                value = "value" if extra == 1 else "values"
                problems.append(f"{extra} more {value} than the header has columns")
            cells = [unguarded_cell(cell) for cell in cells]  # as typed, before an export's `'`
            values = dict(zip(header, cells + [""] * -extra, strict=False))
            rows.append(CsvRow(start, values, problems))
    except csv.Error as error:
        raise ImportFailed([], f"line {line + 1}: {error}") from error
    finally:
        csv.field_size_limit(limit)
    return header, rows
