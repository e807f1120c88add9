"""What the funder's dashboard counts: the awards its filters choose (programme, round, year of
the award; draft pilots never), and each funded trial once with the money and report conditions
of its awards in scope. Every table of the dashboard starts from here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.funding.models import Award, Programme
from app.pilots.models import PUBLIC_STATUSES, Pilot

_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class DashboardFilters:
    programme: Programme | None = None
    round: str | None = None
    year: int | None = None


def _scope(filters: DashboardFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Pilot.status.in_(PUBLIC_STATUSES)]
    if filters.programme is not None:
        conditions.append(Award.programme_id == filters.programme.id)
    if filters.round:
        conditions.append(Programme.round == filters.round)
    if filters.year:
        conditions.append(Award.award_date >= date(filters.year, 1, 1))
        conditions.append(Award.award_date <= date(filters.year, 12, 31))
    return conditions


def scoped(query: _Query, filters: DashboardFilters) -> _Query:
    """Restrict a query over awards to those the filters choose."""
    return (
        query.select_from(Award)
        .join(Pilot, Pilot.id == Award.pilot_id)
        .join(Programme, Programme.id == Award.programme_id)
        .where(*_scope(filters))
    )


def funded_pilot_ids(filters: DashboardFilters) -> Select[int]:
    return scoped(select(Award.pilot_id), filters).distinct()


@dataclass
class FundedTrial:
    pilot: Pilot
    due_days: list[int | None] = field(default_factory=list)
    awarded_pence: int = 0
    disbursed_pence: int = 0


def funded_trials(filters: DashboardFilters) -> list[FundedTrial]:
    """Each funded trial once, with the money and report conditions of its awards in scope."""
    trials: dict[int, FundedTrial] = {}
    for pilot, awarded, disbursed, due_days in db.session.execute(
        scoped(
            select(
                Pilot,
                Award.amount_awarded_pence,
                Award.amount_disbursed_pence,
                Programme.report_due_days,
            ),
            filters,
        )
        .options(selectinload(Pilot.lead_council))
        .order_by(Pilot.title, Pilot.id)
    ):
        trial = trials.setdefault(pilot.id, FundedTrial(pilot))
        trial.due_days.append(due_days)
        trial.awarded_pence += int(awarded)
        trial.disbursed_pence += int(disbursed)
    return list(trials.values())
