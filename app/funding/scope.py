"""What the funder's dashboard counts: the awards its filters choose (programme, round, year of
the award; draft pilots never). Every table of the dashboard starts from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, select

from app.funding.models import Award, Programme
from app.pilots.models import PUBLIC_STATUSES, STATUSES, Pilot

PRIVATE_STATUSES = tuple(s for s in STATUSES if s not in PUBLIC_STATUSES)

_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class DashboardFilters:
    programme: Programme | None = None
    round: str | None = None
    year: int | None = None


def _award_scope(filters: DashboardFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.programme is not None:
        conditions.append(Award.programme_id == filters.programme.id)
    if filters.round:
        conditions.append(Programme.round == filters.round)
    if filters.year:
        conditions.append(Award.award_date >= date(filters.year, 1, 1))
        conditions.append(Award.award_date <= date(filters.year, 12, 31))
    return conditions


# Public: "not a draft", which no index answers, so that a query over awards probes each
# award's pilot by id rather than reading every public pilot to find those with awards.
PUBLIC = Pilot.status.not_in(PRIVATE_STATUSES)


def scoped(query: _Query, filters: DashboardFilters) -> _Query:
    """Restrict a query over awards to those the filters choose, joined to their pilots."""
    return (
        query.select_from(Award)
        .join(Pilot, Pilot.id == Award.pilot_id)
        .join(Programme, Programme.id == Award.programme_id)
        .where(PUBLIC, *_award_scope(filters))
    )


def awarded_pilot_ids(filters: DashboardFilters) -> Select[int]:
    """The ids of pilots with an award in scope, drafts among them: a query that asks for
    `Pilot.id.in_()` these also asks for the statuses it wants (a public one). Read from the
    awards alone, so that the database probes pilots by id, one per award."""
    query = select(Award.pilot_id)
    if filters.round:
        query = query.join(Programme, Programme.id == Award.programme_id)
    return query.where(*_award_scope(filters))
