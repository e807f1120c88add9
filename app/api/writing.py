"""Writing through the API: a council's token does what its editors do on the website, through
the same pilots services (editing.save_pilot, measures.save_measure, lifecycle, updates.add_update,
results.conclude_pilot), so the rules and their messages are the same: a registered pilot's frozen
fields keep their values on an edit and change only by amendment.

A token writes only its own council's pilots (403 for another's public pilot; another's draft is
not there at all, 404). Each write is audited as the token (`audit.ACTING_VIA`), with the person
who made the token as the author."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request

from app.api.inputs import (
    AmendmentBody,
    MeasureBody,
    OutcomeBody,
    PilotBody,
    TransitionBody,
    UpdateBody,
)
from app.api.models import ApiToken
from app.api.problems import ApiProblem, FieldError
from app.api.reading import pilot_detail, visible_pilot
from app.api.responses import etag_of
from app.pilots import history, lifecycle, measures, results, updates
from app.pilots.editing import PilotInput, PilotRulesError, save_pilot
from app.pilots.measures import MeasureData, MeasureError
from app.pilots.models import Pilot
from app.pilots.results import MeasuredValue, OutcomeData, OutcomeError


def own_pilot(token: ApiToken, slug: str, partners_too: bool = False) -> Pilot:
    """The token's council's pilot (or, for updates, one it partners): else 403."""
    pilot = visible_pilot(slug, token.council_id)
    councils = {pilot.lead_council_id}
    if partners_too:
        councils |= {c.id for c in pilot.partners}
    if token.council_id not in councils:
        raise ApiProblem("forbidden", "This token's council does not run this pilot.")
    return pilot


def check_if_match(pilot: Pilot) -> None:
    """With If-Match, refuse (412) an edit of a pilot that changed since it was read."""
    wanted = request.if_match
    if not wanted:
        return
    if not wanted.contains(etag_of(pilot_detail(pilot))):
        raise ApiProblem(
            "precondition-failed",
            "The pilot has changed since you read it: read it again, then send your change.",
        )


def _field_errors(errors: dict[str, str]) -> list[FieldError]:
    renamed = {"partners": "partner_councils"}
    return [FieldError(renamed.get(name, name), detail) for name, detail in errors.items()]


def _entered(body: PilotBody, pilot: Pilot | None) -> PilotInput:
    details: dict[str, Any] = body.model_dump(exclude={"lead_council", "partner_councils"})
    kept = ("case_study", "location_gss", "latitude", "longitude", "actual_cost_pence")
    for name in (*kept, "actual_end_date"):
        details[name] = getattr(pilot, name) if pilot is not None else None
    for name in ("case_study",):
        details[name] = details[name] or ""
    details["pillars"] = list(dict.fromkeys(body.pillars))
    return PilotInput(
        lead_council=body.lead_council.upper(),
        partners=body.partner_councils,
        replicates=pilot.replicates.slug if pilot is not None and pilot.replicates else "",
        replication_kind=pilot.replication_kind if pilot is not None else None,
        details=details,
    )


def save_pilot_from(token: ApiToken, body: PilotBody, pilot: Pilot | None = None) -> Pilot:
    """Create a draft (no `pilot`) or edit one of the token's council's pilots."""
    if body.lead_council.upper() != token.council.code:
        raise ApiProblem(
            "forbidden", "A token creates and edits pilots led by its own council only."
        )
    try:
        return save_pilot(_entered(body, pilot), token.created_by, pilot)
    except PilotRulesError as error:
        raise ApiProblem("validation", str(error), _field_errors(error.errors)) from error


def add_measure_from(token: ApiToken, pilot: Pilot, body: MeasureBody) -> Any:
    data = MeasureData(**body.model_dump())
    try:
        return measures.save_measure(pilot, None, data, token.created_by)
    except MeasureError as error:
        if error.field:
            errors = [FieldError(error.field, str(error))]
            raise ApiProblem("validation", str(error), errors) from error
        raise ApiProblem("conflict", str(error)) from error


def move_pilot(token: ApiToken, pilot: Pilot, body: TransitionBody, today: date) -> Pilot:
    """Register, start, stop or withdraw, as the pilot's lifecycle allows (409 when not)."""
    try:
        if body.action == "register":
            return lifecycle.register_pilot(pilot, token.created_by, today)
        return lifecycle.change_status(pilot, body.action, token.created_by, today, body.reason)
    except lifecycle.TransitionError as error:
        raise ApiProblem("conflict", str(error)) from error


def post_update(token: ApiToken, pilot: Pilot, body: UpdateBody, today: date) -> Any:
    try:
        return updates.add_update(
            pilot, token.created_by, body.text, body.on or today, today, council=token.council
        )
    except updates.UpdateError as error:
        raise ApiProblem("conflict", str(error)) from error


def file_outcome(token: ApiToken, pilot: Pilot, body: OutcomeBody, today: date) -> Pilot:
    """The outcome report and verdict; every measure named must be the pilot's."""
    own = {m.id: m for m in measures.measures_of(pilot)}
    unknown = [
        FieldError(f"results.{n}.measure_id", "This pilot has no success measure with this id")
        for n, item in enumerate(body.results)
        if item.measure_id not in own
    ]
    if unknown:
        raise ApiProblem("validation", "Check the fields listed in errors.", unknown)
    data = OutcomeData(
        values=[
            MeasuredValue(own[item.measure_id], item.value, today, item.evidence_url)
            for item in body.results
        ],
        narrative=body.narrative,
        advice=body.advice,
        verdict=body.verdict,
        justification=body.justification,
        actual_end_date=body.actual_end_date,
    )
    try:
        return results.conclude_pilot(pilot, data, token.created_by, today)
    except OutcomeError as error:
        raise ApiProblem("validation", str(error), _field_errors(error.problems)) from error
    except lifecycle.TransitionError as error:
        raise ApiProblem("conflict", str(error)) from error


def amend_from(token: ApiToken, pilot: Pilot, body: AmendmentBody) -> Any:
    """Amend frozen fields through history.amend_pilot: a new version, the reason, an event."""
    frozen = {m.id: m for m in history.frozen_measures(pilot.id)}
    thresholds = {m.id: (m.target, m.disproved_if) for m in frozen.values()}
    unknown = []
    for n, item in enumerate(body.thresholds):
        if item.measure_id not in frozen:
            unknown.append(
                FieldError(f"thresholds.{n}.measure_id", "No frozen measure of this pilot")
            )
        thresholds[item.measure_id] = (item.target, item.disproved_if)
    if unknown:
        raise ApiProblem("validation", "Check the fields listed in errors.", unknown)
    data = history.AmendmentData(
        reason=body.reason,
        hypothesis=body.hypothesis if body.hypothesis is not None else pilot.hypothesis,
        planned_end_date=body.planned_end_date or pilot.planned_end_date,
        evaluation_design=body.evaluation_design or pilot.evaluation_design,
        verdict=body.verdict or pilot.verdict,
        thresholds=thresholds,
    )
    try:
        return history.amend_pilot(pilot, data, token.created_by)
    except history.AmendmentError as error:
        raise ApiProblem("conflict", str(error)) from error
