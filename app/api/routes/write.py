"""Writing with a council's token: drafts, measures, lifecycle moves, updates, outcomes."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Response, request
from spectree import Response as Answers

from app.api import schemas, writing
from app.api.idempotency import answer_once
from app.api.inputs import (
    AmendmentBody,
    MeasureBody,
    OutcomeBody,
    PilotBody,
    TransitionBody,
    UpdateBody,
)
from app.api.reading import pilot_detail
from app.api.responses import json_response
from app.api.routes import bp
from app.api.spec import api_spec
from app.api.tokens_auth import current_token, requires_token
from app.common.db_types import utcnow
from app.common.web import absolute_url

WRITE = ["write"]
# What a POST that acts on a pilot answers: created, a conflict, If-Match failed, invalid.
ACTED = (201, 409, 412, 422)
SECURITY: dict[str, list[str]] = {"token": []}
B = TypeVar("B")


def _answers(status: int, *errors: int) -> Answers:
    codes = {f"HTTP_{code}": schemas.Problem for code in (401, 403, 404, 413, 429, *errors)}
    return Answers(**{f"HTTP_{status}": schemas.PilotEnvelope}, **codes)


def _body(model: type[B]) -> B:
    body = request.context.json  # type: ignore[attr-defined]
    assert isinstance(body, model)
    return body


def _pilot_answer(slug: str, status: int = 200) -> Response:
    body = pilot_detail(writing.visible_pilot(slug, current_token().council_id))
    headers = {"Location": absolute_url("api.pilot", slug=slug)} if status == 201 else {}
    return json_response(body, status, **headers)


def _writes(
    method: str,
    path: str,
    scope: str,
    body: type,
    operation_id: str,
    codes: tuple[int, ...] = ACTED,
) -> Any:
    """A write route: the token's scope checked, the JSON body validated against `body`, the
    answers documented (the first code is success; 401, 403, 404, 413 and 429 always apply)."""
    route = bp.post if method == "post" else bp.put

    def decorate(view: Any) -> Any:
        validated = api_spec.validate(
            json=body, resp=_answers(*codes), tags=WRITE, security=SECURITY,
            operation_id=operation_id,
        )(view)  # fmt: skip
        return route(path)(requires_token(scope)(validated))

    return decorate


@_writes("post", "/api/v1/pilots", "pilots:write", PilotBody, "createPilot", (201, 409, 422))
def create_pilot() -> Response:
    """Create a draft pilot for the token's council (send an Idempotency-Key to retry safely)."""
    token = current_token()

    def act() -> Response:
        pilot = writing.save_pilot_from(token, _body(PilotBody))
        return _pilot_answer(pilot.slug, 201)

    return answer_once(token, act)


@_writes("put", "/api/v1/pilots/<slug>", "pilots:write", PilotBody, "updatePilot", (200, 412, 422))
def update_pilot(slug: str) -> Response:
    """Edit the pilot; a registered pilot's frozen fields keep their values (amend to change
    them). Send If-Match with the ETag you read: 412 if it has changed since."""
    token = current_token()
    pilot = writing.own_pilot(token, slug)
    writing.check_if_match(pilot)
    writing.save_pilot_from(token, _body(PilotBody), pilot)
    return _pilot_answer(slug)


def _post(slug: str, act: Any, partners_too: bool = False) -> Response:
    token = current_token()

    def run() -> Response:
        pilot = writing.own_pilot(token, slug, partners_too)
        writing.check_if_match(pilot)
        act(token, pilot)
        return _pilot_answer(slug, 201)

    return answer_once(token, run)


@_writes("post", "/api/v1/pilots/<slug>/measures", "pilots:write", MeasureBody, "addMeasure")
def add_measure(slug: str) -> Response:
    """Add a success measure (after registration it is marked post hoc)."""
    return _post(slug, lambda t, p: writing.add_measure_from(t, p, _body(MeasureBody)))


@_writes("post", "/api/v1/pilots/<slug>/amendments", "pilots:write", AmendmentBody, "amendPilot")
def amend_pilot(slug: str) -> Response:
    """Amend a registered pilot's frozen fields (hypothesis, planned end date, evaluation design,
    primary measures' thresholds, a verdict) with the reason: a new version in its history."""
    return _post(slug, lambda t, p: writing.amend_from(t, p, _body(AmendmentBody)))


@_writes(
    "post", "/api/v1/pilots/<slug>/transitions", "lifecycle:write", TransitionBody, "movePilot"
)
def move_pilot(slug: str) -> Response:
    """Register, start, stop or withdraw the pilot (stop and withdraw need a reason)."""
    today = utcnow().date()
    return _post(slug, lambda t, p: writing.move_pilot(t, p, _body(TransitionBody), today))


@_writes("post", "/api/v1/pilots/<slug>/updates", "updates:write", UpdateBody, "postUpdate")
def post_update(slug: str) -> Response:
    """Post a progress update for the token's council (lead or partner)."""
    today = utcnow().date()
    return _post(
        slug, lambda t, p: writing.post_update(t, p, _body(UpdateBody), today), partners_too=True
    )


@_writes("post", "/api/v1/pilots/<slug>/outcome", "results:write", OutcomeBody, "fileOutcome")
def file_outcome(slug: str) -> Response:
    """File the outcome report with each measure's result; concludes the pilot with its verdict."""
    today = utcnow().date()
    return _post(slug, lambda t, p: writing.file_outcome(t, p, _body(OutcomeBody), today))
