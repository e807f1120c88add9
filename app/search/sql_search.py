"""Search written in SQL: filters, facet counts, sorting and pages over public pilots.

Shared by the PostgreSQL backend (matching on the tsvector column) and by the plain database
search the app falls back to when the Whoosh index is missing (matching with LIKE)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    extract,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased, scoped_session

from app.councils.models import Council
from app.funding.models import Award, Programme
from app.pilots.models import PUBLIC_STATUSES, Pilot, PilotPillar, pilot_partners
from app.search.backend import SearchRequest, SearchResults
from app.search.query import ParsedQuery

Lead = aliased(Council, name="lead")
Partner = aliased(Council, name="partner")
COST = func.coalesce(Pilot.actual_cost_pence, Pilot.planned_cost_pence)
REGION = case((and_(Lead.nation == "England", Lead.region != ""), Lead.region), else_=Lead.nation)
COST_BAND = case(
    (COST < 10_000_00, "under-10k"),
    (COST < 50_000_00, "10k-50k"),
    (COST < 250_000_00, "50k-250k"),
    (COST >= 250_000_00, "over-250k"),
    else_=None,
)
YEAR = func.cast(extract("year", Pilot.start_date), Pilot.id.type)
# Facets held in one column of the pilot or its lead council (pillar and council are lists).
SINGLE_FACETS: dict[str, Any] = {
    "region": REGION,
    "council_type": Lead.la_type,
    "status": Pilot.status,
    "verdict": Pilot.verdict,
    "cost": COST_BAND,
    "year": YEAR,
}
DbSession = Session | scoped_session[Any]
Matcher = Callable[[ParsedQuery], ColumnElement[bool] | None]


def _involving(code: str) -> ColumnElement[bool]:
    partnered = (
        select(pilot_partners.c.pilot_id)
        .join(Partner, Partner.id == pilot_partners.c.council_id)
        .where(Partner.code == code.upper())
    )
    return or_(Lead.code == code.upper(), Pilot.id.in_(partnered))


def filter_condition(name: str, value: str) -> ColumnElement[bool]:
    """The SQL for one /search filter; a count with it is what the facet must show."""
    if name == "pillar":
        return exists().where(PilotPillar.pilot_id == Pilot.id, PilotPillar.pillar_slug == value)
    if name == "council":
        return _involving(value)
    if name == "year":
        return literal(int(value)) == YEAR if value.isdigit() else literal(False)
    if name == "programme":
        return exists().where(
            Award.pilot_id == Pilot.id, Award.programme_id == Programme.id, Programme.slug == value
        )
    return SINGLE_FACETS[name] == value


def matching(parsed: ParsedQuery, match: Matcher, filters: dict[str, str]) -> Select[Any]:
    """Ids of public pilots that match the query and every filter."""
    query = (
        select(Pilot.id)
        .join(Lead, Lead.id == Pilot.lead_council_id)
        .where(Pilot.status.in_(PUBLIC_STATUSES))
    )
    condition = match(parsed)
    if condition is not None:
        query = query.where(condition)
    for name, value in filters.items():
        query = query.where(filter_condition(name, value))
    return query


def facet_counts(session: DbSession, ids: Select[Any]) -> dict[str, dict[str, int]]:
    """Counts for every facet value among the matching pilots."""
    matched = ids.subquery()
    base = (
        select(Pilot)
        .join(matched, matched.c.id == Pilot.id)
        .join(Lead, Lead.id == Pilot.lead_council_id)
    )
    facets: dict[str, dict[str, int]] = {}
    for name, column in SINGLE_FACETS.items():
        rows = session.execute(base.with_only_columns(column, func.count()).group_by(column)).all()
        facets[name] = {str(v): n for v, n in rows if v not in (None, "")}
    pillars = (
        select(PilotPillar.pillar_slug, func.count())
        .join(matched, matched.c.id == PilotPillar.pilot_id)
        .group_by(PilotPillar.pillar_slug)
    )
    facets["pillar"] = {str(v): n for v, n in session.execute(pillars).all()}
    involved = (
        select(Pilot.id.label("pilot_id"), Pilot.lead_council_id.label("council_id"))
        .join(matched, matched.c.id == Pilot.id)
        .union(
            select(pilot_partners.c.pilot_id, pilot_partners.c.council_id).join(
                matched, matched.c.id == pilot_partners.c.pilot_id
            )
        )
        .subquery()
    )
    councils = (
        select(Council.code, func.count())
        .join(involved, involved.c.council_id == Council.id)
        .group_by(Council.code)
    )
    facets["council"] = {str(v): n for v, n in session.execute(councils).all()}
    funded = (
        select(Programme.slug, func.count(func.distinct(Award.pilot_id)))
        .join(Award, Award.programme_id == Programme.id)
        .join(matched, matched.c.id == Award.pilot_id)
        .group_by(Programme.slug)
    )
    facets["programme"] = {str(v): n for v, n in session.execute(funded).all()}
    return facets


def run_search(
    session: DbSession,
    request: SearchRequest,
    match: Matcher,
    rank: Callable[[ParsedQuery], ColumnElement[float] | None] = lambda parsed: None,
) -> SearchResults:
    """One page of ids in the requested order, the total, and facet counts."""
    ids = matching(request.query, match, request.filters)
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    order: list[Any] = []
    score = rank(request.query) if request.sort == "relevance" else None
    if score is not None:
        order.append(score.desc())
    elif request.sort == "cost":
        order += [COST.is_(None), COST]
    order += [Pilot.updated_at.desc(), Pilot.id.desc()]
    page = ids.order_by(*order).limit(request.per_page)
    page = page.offset((request.page - 1) * request.per_page)
    pilot_ids: list[int] = list(session.scalars(page))
    facets = facet_counts(session, ids) if request.with_facets else {}
    return SearchResults(pilot_ids=pilot_ids, total=total, facets=facets)


SEARCHED_COLUMNS = (
    Pilot.title, Pilot.summary, Pilot.hypothesis, Pilot.problem, Pilot.approach,
    Pilot.case_study,
)  # fmt: skip


def like_matcher(parsed: ParsedQuery) -> ColumnElement[bool] | None:
    """Plain substring matching, for when no index can answer."""
    if parsed.is_empty:
        return None
    conditions: list[ColumnElement[bool]] = []
    for clause in parsed.clauses:
        alternatives = []
        for alternative in clause.alternatives:
            pattern = "%" + " ".join(alternative.words).replace("%", "").replace("_", "") + "%"
            alternatives.append(or_(*(column.ilike(pattern) for column in SEARCHED_COLUMNS)))
        condition = or_(*alternatives)
        conditions.append(not_(condition) if clause.negated else condition)
    return and_(*conditions)
