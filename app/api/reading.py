"""The read API's answers, each from the domains' own services (search, pilots, councils,
pillars, funding), so the API lists exactly what the pages do: /api/v1/pilots is /search."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from app.api import serialise, serialise_origin
from app.api.inputs import EventsQuery, PageQuery, PilotsQuery
from app.api.problems import ApiProblem
from app.api.tokens_auth import CHALLENGE
from app.appraisal.service import appraisal_of
from app.choosing.decisions import pilot_origin
from app.common.pagination import Page
from app.common.web import absolute_url
from app.councils import service as councils_service
from app.funding import service as funding_service
from app.pillars.service import all_pillars
from app.pilots import events, history, measures, overdue, report_queries, results, updates
from app.pilots import service as pilots_service
from app.pilots.models import Pilot
from app.search import service as search_service
from app.search.query import QueryTooLong

# Filters whose unknown values are refused as `unknown-filter-value`; the rest (a year that is
# not a year, an over-long query, a sort) are a `bad-query`.
_NAMED_FILTERS = ("pillar", "status", "verdict", "cost", "programme")


def _links(endpoint_url: Any, page: Page, params: dict[str, Any]) -> dict[str, str | None]:
    def at(number: int) -> str:
        return endpoint_url(**{**params, "page": number})

    return {
        "self": at(page.page),
        "next": at(page.page + 1) if page.page < page.pages else None,
        "prev": at(page.page - 1) if 1 < page.page <= page.pages else None,
    }


def pilot_list(query: PilotsQuery, endpoint_url: Any, council_id: int | None) -> dict[str, Any]:
    """A page of public pilots for the /search parameters, with the facets /search shows when
    asked; `status=draft` lists the drafts of the token's own council (`council_id`)."""
    args = {
        name: value
        for name, value in query.model_dump(exclude={"page", "per_page", "facets"}).items()
        if value not in (None, "")
    }
    if query.status == "draft":
        return _draft_list(query, endpoint_url, council_id, args)
    try:
        found = search_service.search_pilots(
            args,
            query.page,
            per_page=query.per_page,
            with_snippets=False,
            with_facets=query.facets,
        )
    except QueryTooLong as error:
        raise ApiProblem("bad-query", str(error)) from error
    except search_service.SearchInputError as error:
        named = any(name in args for name in _NAMED_FILTERS)
        raise ApiProblem("unknown-filter-value" if named else "bad-query", str(error)) from error
    params = {**args, "per_page": query.per_page, **({"facets": 1} if query.facets else {})}
    return {
        "pilots": [serialise.pilot_summary(p) for p in found.page.items],
        "total": found.page.total,
        "page": found.page.page,
        "per_page": found.page.per_page,
        "pages": found.page.pages,
        "query": found.query,
        "filters": found.filters,
        "sort": found.sort,
        "facets": [
            {
                "name": name,
                "label": label,
                "values": [
                    {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                    for v in values
                ],
            }
            for name, label, values in found.facets
        ],
        "suggestion": found.suggestion,
        "links": _links(endpoint_url, found.page, params),
    }


def _draft_list(
    query: PilotsQuery, endpoint_url: Any, council_id: int | None, args: dict[str, Any]
) -> dict[str, Any]:
    """The drafts of the token's council, latest changed first: never anyone else's."""
    if council_id is None:
        raise ApiProblem(
            "unauthorised", "Drafts are listed only to their own council's API token.",
            headers=CHALLENGE,
        )  # fmt: skip
    others = sorted(name for name in args if name not in ("status", "sort"))
    if others:
        raise ApiProblem(
            "bad-query", f"status=draft lists all your council's drafts: leave out {others[0]}."
        )
    page = pilots_service.council_drafts_page(council_id, query.page, query.per_page)
    return {
        "pilots": [serialise.pilot_summary(p) for p in page.items],
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
        "query": "",
        "filters": {"status": "draft"},
        "sort": "updated",
        "facets": [],
        "suggestion": None,
        "links": _links(endpoint_url, page, {"status": "draft", "per_page": query.per_page}),
    }


def visible_pilot(slug: str, council_id: int | None) -> Pilot:
    """The pilot, or not-found: a draft is there only for a token of its own council."""
    pilot = pilots_service.pilot_for_page(slug) if len(slug) <= 100 else None
    if pilot is None or (not pilot.is_public and pilot.lead_council_id != council_id):
        raise ApiProblem("not-found", f"There is no pilot {slug!r}.")
    return pilot


def pilot_detail(pilot: Pilot) -> dict[str, Any]:
    """One pilot with its measures, versions, events, updates, outcome and awards, and its
    appraisal and the round that chose it where they exist."""
    body = serialise.pilot_summary(pilot)
    body.update(
        hypothesis=pilot.hypothesis,
        problem=pilot.problem,
        approach=pilot.approach,
        offline_access=pilot.offline_access,
        case_study=pilot.case_study,
        location=pilot.location,
        location_gss=pilot.location_gss,
        latitude=serialise.number(pilot.latitude),
        longitude=serialise.number(pilot.longitude),
        tags=pilot.tags,
        evaluation_design=pilot.evaluation_design,
        status_reason=pilot.status_reason,
        replicates=pilot.replicates.slug if pilot.replicates else None,
        replication_kind=pilot.replication_kind,
        measures=[serialise.measure(m) for m in measures.measures_of(pilot)],
        versions=[serialise.version(v) for v in history.versions_of(pilot)],
        events=[serialise.event(e, pilot.slug) for e in events.events_for_pilot(pilot)],
        updates=[serialise.update(u) for u in updates.updates_of(pilot)],
        outcome=serialise.outcome(results.outcome_of(pilot)),
        awards=[serialise.award(a) for a in funding_service.pilot_funding(pilot).awards],
        appraisal=serialise_origin.appraisal(appraisal_of(pilot), pilot.slug),
        round=serialise_origin.origin(pilot_origin(pilot)),
    )
    return {"pilot": body}


def council_list(query: PageQuery, endpoint_url: Any, today: date) -> dict[str, Any]:
    """Every council in the register, by name, with its reporting record."""
    councils = councils_service.all_councils()
    start = (query.page - 1) * query.per_page
    page = Page(
        items=councils[start : start + query.per_page],
        page=query.page,
        per_page=query.per_page,
        total=len(councils),
    )
    records = report_queries.reporting_records(today, [c.id for c in page.items])
    return {
        "councils": [
            serialise.council(c, records.get(c.id, overdue.ReportingRecord())) for c in page.items
        ],
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
        "links": _links(endpoint_url, page, {"per_page": query.per_page}),
    }


def council_detail(code: str, today: date) -> dict[str, Any]:
    found = councils_service.council_by_code(code) if len(code) <= 10 else None
    if found is None:
        raise ApiProblem("not-found", f"There is no council with code {code!r}.")
    return {"council": serialise.council(found, report_queries.reporting_record(found, today))}


def pillar_list() -> dict[str, Any]:
    counts = pilots_service.public_counts_by_pillar()
    return {
        "pillars": [
            {
                "slug": p.slug,
                "name": p.name,
                "summary": p.summary,
                "url": absolute_url("pillars.pillar", slug=p.slug),
                "public_pilots": counts.get(p.slug, 0),
            }
            for p in all_pillars()
        ]
    }


def programme_list() -> dict[str, Any]:
    """Funding programmes with their public awards (a draft pilot's award stays private)."""
    return {
        "programmes": [
            serialise.programme(
                programme,
                summary.awarded_pence,
                funding_service.public_awards_for_programme(programme),
            )
            for programme, summary in funding_service.list_programmes()
        ]
    }


def overdue_list(today: date) -> dict[str, Any]:
    return {
        "overdue": [
            {
                "pilot": serialise.pilot_summary(state.pilot),
                "due_date": serialise.day(state.due_date),
                "days_overdue": days,
            }
            for state, days in report_queries.overdue_pilots(today)
        ],
        "as_of": serialise.day(today),
    }


def event_list(query: EventsQuery) -> dict[str, Any]:
    """The change feed: events after the cursor (an event id) or since a time."""
    since = query.since
    if since is not None:  # a time without a zone is taken as UTC, as every time here is
        try:
            since = since.astimezone(UTC) if since.tzinfo else since.replace(tzinfo=UTC)
        except OverflowError as error:
            raise ApiProblem(
                "bad-query", "Give since as a UTC time: 2026-04-01T00:00:00Z"
            ) from error
    found, more = events.public_events_after(int(query.cursor or 0), since, query.limit)
    cursor = str(found[-1].id) if found else query.cursor
    return {
        "events": [serialise.event(e, e.pilot.slug) for e in found],
        "next_cursor": cursor,
        "has_more": more,
    }
