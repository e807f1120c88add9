"""Reading the registry: no sign-in, JSON objects, ETags and 304s."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Response, request, url_for
from spectree import Response as Answers

from app.api import reading, schemas
from app.api.inputs import EventsQuery, PageQuery, PilotsQuery
from app.api.responses import json_response
from app.api.routes import bp
from app.api.spec import api_spec
from app.api.tokens_auth import optional_token
from app.common.db_types import utcnow

READ = ["read"]
Q = TypeVar("Q")


def _answers(model: Any, *errors: int) -> Answers:
    codes = {f"HTTP_{code}": schemas.Problem for code in (*errors, 429)}
    return Answers(HTTP_200=model, HTTP_304=None, **codes)


def _url(endpoint: str) -> Any:
    return lambda **values: url_for(endpoint, _external=True, **values)


@bp.get("/api/v1/pilots")
@api_spec.validate(
    query=PilotsQuery,
    resp=_answers(schemas.PilotList, 400, 401),
    tags=READ,
    validation_error_status=400,
    operation_id="listPilots",
)
def pilots() -> Response:
    """Public pilots: the /search query, filters and sort, and with `facets=1` the facets;
    `per_page` up to 100. With a council's token, `status=draft` lists that council's drafts."""
    token = optional_token()
    found = reading.pilot_list(
        _validated(PilotsQuery), _url(".pilots"), token.council_id if token else None
    )
    return json_response(found)


@bp.get("/api/v1/pilots/<slug>")
@api_spec.validate(resp=_answers(schemas.PilotEnvelope, 404), tags=READ, operation_id="getPilot")
def pilot(slug: str) -> Response:
    """One pilot with its measures, versions, events, updates, outcome and awards. A draft is
    there only for a token of its own council."""
    token = optional_token()
    found = reading.visible_pilot(slug, token.council_id if token else None)
    return json_response(reading.pilot_detail(found))


@bp.get("/api/v1/councils")
@api_spec.validate(
    query=PageQuery,
    resp=_answers(schemas.CouncilList, 400),
    tags=READ,
    validation_error_status=400,
    operation_id="listCouncils",
)
def councils() -> Response:
    """Every council with its reporting record (outcome reports filed of those due)."""
    query = _validated(PageQuery)
    return json_response(reading.council_list(query, _url(".councils"), utcnow().date()))


@bp.get("/api/v1/councils/<code>")
@api_spec.validate(
    resp=_answers(schemas.CouncilEnvelope, 404), tags=READ, operation_id="getCouncil"
)
def council(code: str) -> Response:
    """One council by its three-letter code, with its reporting record."""
    return json_response(reading.council_detail(code.upper(), utcnow().date()))


@bp.get("/api/v1/pillars")
@api_spec.validate(resp=_answers(schemas.PillarList), tags=READ, operation_id="listPillars")
def pillars() -> Response:
    """The six pillars, with how many public pilots each has."""
    return json_response(reading.pillar_list())


@bp.get("/api/v1/programmes")
@api_spec.validate(resp=_answers(schemas.ProgrammeList), tags=READ, operation_id="listProgrammes")
def programmes() -> Response:
    """Funding programmes and their public awards."""
    return json_response(reading.programme_list())


@bp.get("/api/v1/overdue")
@api_spec.validate(resp=_answers(schemas.OverdueList), tags=READ, operation_id="listOverdue")
def overdue() -> Response:
    """Pilots whose outcome report is overdue, worst first."""
    return json_response(reading.overdue_list(utcnow().date()))


@bp.get("/api/v1/events")
@api_spec.validate(
    query=EventsQuery,
    resp=_answers(schemas.EventList, 400),
    tags=READ,
    validation_error_status=400,
    operation_id="listEvents",
)
def events() -> Response:
    """The change feed: lifecycle events after `cursor` (or `since` a UTC time), oldest first.
    Keep `next_cursor` and ask again with it to stay in step."""
    return json_response(reading.event_list(_validated(EventsQuery)))


def _validated(model: type[Q]) -> Q:
    """The query spectree has already checked against `model`."""
    query = request.context.query  # type: ignore[attr-defined]
    assert isinstance(query, model)
    return query
