"""Figures as tables: one definition feeds the GOV.UK table, the SVG chart and the CSV download,
so the three can never show different numbers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.common.csv_output import csv_lines
from app.common.money import format_pence, pounds_text
from app.common.text import format_date

KINDS = ("text", "count", "money", "percent", "ratio", "date", "pilot")


@dataclass(frozen=True)
class PilotRef:
    title: str
    slug: str


@dataclass(frozen=True)
class Column:
    key: str  # the CSV header
    heading: str  # the table header
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in ("count", "money", "percent", "ratio")


@dataclass
class Table:
    key: str  # names the table in the CSV address: ?table=by-status
    caption: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None
    empty_message: str = "None."
    # A list that shows only its first rows: how many there are in all (None: rows are all)
    total_rows: int | None = None

    def column_values(self, key: str) -> list[Any]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def total_of(self, key: str) -> Any:
        """The total row's value in a column (None without a total row)."""
        return self.total[[c.key for c in self.columns].index(key)] if self.total else None


def cell_text(column: Column, value: Any) -> str:
    """A value as people read it, in tables and on charts."""
    if value is None:
        return "—"
    if column.kind == "count":
        return f"{int(value):,}"
    if column.kind == "money":
        return format_pence(int(value))
    if column.kind == "percent":
        return f"{int(value)}%"
    if column.kind == "ratio":
        return f"{float(value):.2f}"
    if column.kind == "date":
        return format_date(value)
    if column.kind == "pilot":
        return str(value.title)
    return str(value)


def csv_value(column: Column, value: Any) -> list[str]:
    """A value as open data: exact pounds, ISO dates, bare numbers; a pilot is title and slug."""
    if column.kind == "pilot":
        return ["", ""] if value is None else [value.title, value.slug]
    if value is None:
        return [""]
    if column.kind == "money":
        return [pounds_text(int(value))]
    if column.kind == "date" and isinstance(value, date):
        return [value.isoformat()]
    return [str(value)]


def csv_header(table: Table) -> list[str]:
    header: list[str] = []
    for column in table.columns:
        header += [column.key, f"{column.key}_slug"] if column.kind == "pilot" else [column.key]
    return header


def table_csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV text, a line at a time: a header, then the rows (no total row, which
    would be counted twice by anyone summing the column). Text is made safe to open in a
    spreadsheet; numbers stay numbers."""
    numeric: set[int] = set()
    position = 0
    for column in table.columns:
        width = 2 if column.kind == "pilot" else 1
        if column.numeric:
            numeric.add(position)
        position += width

    def rows() -> Iterator[list[str]]:
        for row in table.rows:
            cells: list[str] = []
            for column, value in zip(table.columns, row, strict=True):
                cells += csv_value(column, value)
            yield cells

    return csv_lines(csv_header(table), rows(), numeric)
