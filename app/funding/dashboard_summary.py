"""The line at the top of the funder's dashboard ("1 overdue report · £40,000 at stake"),
read from the dashboard's own tables so the summary and the sections below it never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from app.common.figures.tables import Table


@dataclass(frozen=True)
class DashboardSummary:
    funded_trials: int
    overdue_reports: int
    at_stake_pence: int  # awarded to the trials whose outcome report is overdue
    without_update: int


def summarise(tables: dict[str, Table]) -> DashboardSummary:
    """What a funder most needs to act on, counted from the tables the sections show."""
    overdue = tables["overdue"]
    return DashboardSummary(
        funded_trials=sum(int(n) for n in tables["by-status"].column_values("trials")),
        overdue_reports=_listed(overdue),
        at_stake_pence=int(overdue.total_of("awarded_gbp") or 0),
        without_update=_listed(tables["no-update"]),
    )


def _listed(table: Table) -> int:
    return len(table.rows) if table.total_rows is None else table.total_rows
