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
