"""Date arithmetic inside a query, the same on SQLite and PostgreSQL.

`days_after_sql(column, days)` is `column + days` as a date: PostgreSQL adds an integer to a
date natively; SQLite has no date type and uses `date(value, '+N days')`, which answers NULL
past year 9999 (where Python's `days_after` gives `date.max`: callers treat NULL as "never")."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class days_after_sql(FunctionElement[Any]):
    """A date `days` (an integer expression) after the date expression `value`."""

    type = Date()
    inherit_cache = True
    name = "days_after"

    def __init__(self, value: ColumnElement[Any], days: ColumnElement[Any] | int) -> None:
        super().__init__(value, days)


@compiles(days_after_sql)
def _days_after_default(element: days_after_sql, compiler: Any, **kw: Any) -> str:
    value, days = list(element.clauses)
    return f"({compiler.process(value, **kw)} + {compiler.process(days, **kw)})"


@compiles(days_after_sql, "sqlite")
def _days_after_sqlite(element: days_after_sql, compiler: Any, **kw: Any) -> str:
    value, days = list(element.clauses)
    value_sql, days_sql = compiler.process(value, **kw), compiler.process(days, **kw)
    return f"date({value_sql}, printf('%+d days', {days_sql}))"


class midnight_utc(FunctionElement[Any]):
    """The date expression `value` as a time: its midnight, UTC (a datetime string on SQLite,
    as its DateTime columns store them; a timestamptz on PostgreSQL)."""

    inherit_cache = True
    name = "midnight_utc"

    def __init__(self, value: ColumnElement[Any], type_: Any) -> None:
        self.type = type_
        super().__init__(value)


@compiles(midnight_utc)
def _midnight_utc_default(element: midnight_utc, compiler: Any, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"(CAST({compiler.process(value, **kw)} AS TIMESTAMP) AT TIME ZONE 'UTC')"


@compiles(midnight_utc, "sqlite")
def _midnight_utc_sqlite(element: midnight_utc, compiler: Any, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"strftime('%Y-%m-%d %H:%M:%f000', {compiler.process(value, **kw)})"


class latest_of(FunctionElement[Any]):
    """The latest of several times, ignoring NULLs (NULL only if all are): PostgreSQL's
    GREATEST; SQLite's many-argument max() answers NULL if any argument is, so NULLs are first
    made the earliest time there is."""

    inherit_cache = True
    name = "latest_of"

    def __init__(self, *values: Any) -> None:
        self.type = values[0].type
        super().__init__(*values)


_EARLIEST = "'0001-01-01 00:00:00.000000'"


@compiles(latest_of)
def _latest_of_default(element: latest_of, compiler: Any, **kw: Any) -> str:
    return f"GREATEST({', '.join(compiler.process(v, **kw) for v in element.clauses)})"


@compiles(latest_of, "sqlite")
def _latest_of_sqlite(element: latest_of, compiler: Any, **kw: Any) -> str:
    values = ", ".join(
        f"coalesce({compiler.process(v, **kw)}, {_EARLIEST})" for v in element.clauses
    )
    return f"nullif(max({values}), {_EARLIEST})"
