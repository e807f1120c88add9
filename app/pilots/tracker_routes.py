"""The prove/disprove tracker's pages: measures, status changes, amendments and history,
results, progress updates, report extensions and the overdue list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.auth import service as auth_service
from app.auth.permissions import authorise, requires
from app.common.db_types import utcnow
from app.pilots import history, lifecycle, measures, overdue, results, updates
from app.pilots.models import Pilot
from app.pilots.routes import _visible_pilot
from app.pilots.tracker_forms import (
    ActionForm,
    ExtensionForm,
    MeasureForm,
    ReasonForm,
    UpdateForm,
    amend_form_for,
    results_form_for,
)

bp = Blueprint("tracker", __name__)


def _editable_pilot(slug: str) -> Pilot:
    """The pilot, if the signed-in user edits for its lead council (or is an admin); else 403."""
    pilot = _visible_pilot(slug)
    authorise(auth_service.can_edit_for_council(auth_service.current_user(), pilot.lead_council_id))
    return pilot


def _form_page(template: str, status_ok: int = 200, **context: Any) -> tuple[str, int]:
    status = 400 if request.method == "POST" else status_ok
    return render_template(template, **context), status


def _measure_data(form: MeasureForm) -> measures.MeasureData:
    return measures.MeasureData(
        name=form.name.data,
        method=form.method.data,
        unit=form.unit.data or "",
        baseline=form.baseline.data,
        target=cast(Decimal, form.target.data),
        disproved_if=cast(Decimal, form.disproved_if.data),
        direction=form.direction.data,
        time_frame=form.time_frame.data,
        kind=form.kind.data,
    )


@bp.route("/pilots/<slug>/measures/new", methods=["GET", "POST"])
@bp.route("/pilots/<slug>/measures/<id:measure_id>/edit", methods=["GET", "POST"])
@requires("edit-pilot")
def measure(slug: str, measure_id: int | None = None) -> Any:
    pilot = _editable_pilot(slug)
    existing = measures.measure_of(pilot, measure_id) if measure_id else None
    if measure_id and existing is None:
        abort(404)
    form = MeasureForm(obj=existing if request.method == "GET" else None)
    if form.validate_on_submit():
        data = _measure_data(form)
        problems = measures.check_measure(data)
        if not problems:
            try:
                if existing:
                    measures.update_measure(existing, data, auth_service.current_user())
                else:
                    measures.add_measure(pilot, data, auth_service.current_user())
            except measures.MeasureError as error:
                abort(400, str(error))
            flash(gettext("Measure saved."))
            return redirect(url_for("pilots.show", slug=pilot.slug) + "#measures")
        form.disproved_if.errors = [*form.disproved_if.errors, problems["disproved_if"]]
    return _form_page("pilots/measure-form.html", form=form, pilot=pilot, measure=existing)


@bp.post("/pilots/<slug>/measures/<id:measure_id>/delete")
@requires("edit-pilot")
def delete_measure(slug: str, measure_id: int) -> Response:
    pilot = _editable_pilot(slug)
    existing = measures.measure_of(pilot, measure_id)
    if existing is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400, "The form had expired. Go back and try again.")
    try:
        measures.delete_measure(existing, auth_service.current_user())
    except measures.MeasureError as error:
        abort(400, str(error))
    flash(gettext("Measure removed."))
    return redirect(url_for("pilots.show", slug=pilot.slug) + "#measures")


@bp.post("/pilots/<slug>/start")
@requires("change-pilot-status")
def start(slug: str) -> Response:
    pilot = _editable_pilot(slug)
    if not ActionForm().validate_on_submit():
        abort(400, "The form had expired. Go back and try again.")
    try:
        lifecycle.change_status(pilot, "start", auth_service.current_user(), utcnow().date())
    except lifecycle.TransitionError as error:
        abort(400, str(error))
    flash(gettext("The pilot is now running."))
    return redirect(url_for("pilots.show", slug=pilot.slug))


@bp.route("/pilots/<slug>/<any(stop, withdraw):action>", methods=["GET", "POST"])
@requires("change-pilot-status")
def stop_or_withdraw(slug: str, action: str) -> Any:
    pilot = _editable_pilot(slug)
    if action not in lifecycle.allowed_actions(pilot):
        abort(
            400,
            f"A {pilot.status} pilot cannot be {'stopped' if action == 'stop' else 'withdrawn'}.",
        )
    form = ReasonForm()
    if form.validate_on_submit():
        lifecycle.change_status(
            pilot, action, auth_service.current_user(), utcnow().date(), form.reason.data
        )
        flash(
            gettext("The pilot was stopped.")
            if action == "stop"
            else gettext("The pilot was withdrawn.")
        )
        return redirect(url_for("pilots.show", slug=pilot.slug))
    return _form_page("pilots/reason-form.html", form=form, pilot=pilot, action=action)


@bp.route("/pilots/<slug>/amend", methods=["GET", "POST"])
@requires("amend-pilot")
def amend(slug: str) -> Any:
    pilot = _editable_pilot(slug)
    if pilot.status == "draft":
        flash(gettext("A draft is not frozen yet: edit it instead."))
        return redirect(url_for("pilots.edit", slug=pilot.slug))
    frozen = history.frozen_measures(pilot.id)
    initial: dict[str, Any] = {
        "hypothesis": pilot.hypothesis,
        "planned_end_date": pilot.planned_end_date,
        "evaluation_design": str(pilot.evaluation_design) if pilot.evaluation_design else None,
        "verdict": pilot.verdict,
    }
    for m in frozen:
        initial[f"target_{m.id}"], initial[f"threshold_{m.id}"] = m.target, m.disproved_if
    form = amend_form_for(frozen, data=initial if request.method == "GET" else None)
    if form.validate_on_submit():
        data = history.AmendmentData(
            reason=form.reason.data,
            hypothesis=form.hypothesis.data,
            planned_end_date=form.planned_end_date.data,
            evaluation_design=int(form.evaluation_design.data)
            if form.evaluation_design.data
            else None,
            verdict=form.verdict.data or None,
            thresholds={
                m.id: (form[f"target_{m.id}"].data, form[f"threshold_{m.id}"].data) for m in frozen
            },
        )
        try:
            version = history.amend_pilot(pilot, data, auth_service.current_user())
        except history.AmendmentError as error:
            form.reason.errors = [*form.reason.errors, str(error)]
        else:
            flash(gettext("Amended: this is now version %(number)s.", number=version.number))
            return redirect(url_for(".history_page", slug=pilot.slug))
    return _form_page("pilots/amend.html", form=form, pilot=pilot, measures=frozen)


@bp.get("/pilots/<slug>/history")
def history_page(slug: str) -> str:
    pilot = _visible_pilot(slug)
    versions = list(reversed(history.versions_of(pilot)))
    return render_template(
        "pilots/history.html",
        pilot=pilot,
        versions=[(v, history.describe_diff(v.diff)) for v in versions],
    )


@bp.get("/pilots/<slug>/results")
def results_page(slug: str) -> Any:
    pilot = _visible_pilot(slug)
    return _results(pilot, results_form_for(measures.measures_of(pilot)))


@bp.post("/pilots/<slug>/results")
@requires("report-results")
def report_results(slug: str) -> Any:
    pilot = _editable_pilot(slug)
    if pilot.status != "running":
        abort(400, f"This pilot is {pilot.status}; only a running pilot reports its outcome.")
    all_measures = measures.measures_of(pilot)
    form = results_form_for(all_measures)
    if not form.validate_on_submit():
        return _results(pilot, form)
    data = results.OutcomeData(
        values=[
            results.MeasuredValue(
                m,
                form[f"value_{m.id}"].data,
                form[f"on_{m.id}"].data,
                form[f"url_{m.id}"].data or "",
                form[f"evidence_{m.id}"].data or "",
            )
            for m in all_measures
        ],
        narrative=form.narrative.data,
        advice=form.advice.data or "",
        verdict=form.verdict.data or "",
        justification=form.justification.data or "",
        actual_end_date=form.actual_end_date.data,
    )
    proposed = results.propose_verdict([(v.measure, v.value) for v in data.values])
    if form.preview.data:
        return _results(pilot, form, proposed, status=200)
    problems = results.outcome_problems(pilot, data, utcnow().date())
    if problems:
        for name, message in problems.items():
            form[name].errors = [*form[name].errors, message]
        return _results(pilot, form, proposed)
    results.conclude_pilot(pilot, data, auth_service.current_user(), utcnow().date())
    flash(gettext("Concluded: %(verdict)s.", verdict=data.verdict))
    return redirect(url_for("pilots.show", slug=pilot.slug))


def _results(
    pilot: Pilot, form: Any, proposed: str | None = None, status: int | None = None
) -> Any:
    user = auth_service.current_user()
    can_report = pilot.status == "running" and auth_service.can_edit_for_council(
        user, pilot.lead_council_id
    )
    page = render_template(
        "pilots/results.html",
        form=form,
        pilot=pilot,
        measures=measures.measures_of(pilot),
        proposed=proposed,
        can_report=can_report,
        outcome=results.outcome_of(pilot),
    )
    return page, status or (400 if request.method == "POST" else 200)


@bp.route("/pilots/<slug>/updates/new", methods=["GET", "POST"])
@requires("post-update")
def new_update(slug: str) -> Any:
    pilot = _visible_pilot(slug)
    user = auth_service.current_user()
    authorise(updates.posting_council(user, pilot) is not None)
    form = UpdateForm(data={"on": utcnow().date()} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            updates.add_update(
                pilot, user, form.text.data, cast(date, form.on.data), utcnow().date()
            )
        except updates.UpdateError as error:
            form.text.errors = [*form.text.errors, str(error)]
        else:
            flash(gettext("Update posted."))
            return redirect(url_for("pilots.show", slug=pilot.slug) + "#updates")
    return _form_page("pilots/update-form.html", form=form, pilot=pilot)


@bp.route("/pilots/<slug>/extension", methods=["GET", "POST"])
@requires("approve-extension")
def extension(slug: str) -> Any:
    pilot = _visible_pilot(slug)
    authorise(auth_service.is_admin(auth_service.current_user()))
    form = ExtensionForm()
    state = overdue.report_state(pilot)
    if form.validate_on_submit():
        try:
            overdue.grant_extension(
                pilot, cast(date, form.due_date.data), form.reason.data, auth_service.current_user()
            )
        except overdue.ExtensionError as error:
            form.due_date.errors = [*form.due_date.errors, str(error)]
        else:
            flash(gettext("Extension approved."))
            return redirect(url_for("pilots.show", slug=pilot.slug))
    return _form_page("pilots/extension-form.html", form=form, pilot=pilot, state=state)


@bp.get("/overdue")
def overdue_page() -> str:
    return render_template("pilots/overdue.html", rows=overdue.overdue_pilots(utcnow().date()))
