"""Changing a pilot's course: register it, start it, stop or withdraw it, amend what registration
froze."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.auth import service as auth_service
from app.auth.permissions import requires
from app.common.db_types import utcnow
from app.pilots import history, lifecycle, measures
from app.pilots.forms.lifecycle import ReasonForm, StartForm, amend_form_for
from app.pilots.forms.pilot import EVALUATION_DESIGNS, RegisterForm
from app.pilots.routes import bp, editable_pilot, expired_form, form_page

DONE = {"stop": _l("The pilot was stopped."), "withdraw": _l("The pilot was withdrawn.")}


@bp.route("/pilots/<slug>/register", methods=["GET", "POST"])
@requires("register-pilot")
def register(slug: str) -> Any:
    """GET: check your answers (what registering will freeze and publish); POST: register."""
    pilot = editable_pilot(slug)
    if pilot.status != "draft":
        flash(gettext("This pilot is already registered."))
        return redirect(url_for(".show", slug=pilot.slug))
    if request.method == "GET":
        return render_template(
            "pilots/register-check.html",
            pilot=pilot,
            problems=lifecycle.registration_problems(pilot),
            measures=[m for m in measures.measures_of(pilot) if m.kind == "primary"],
            design=dict(EVALUATION_DESIGNS).get(str(pilot.evaluation_design), ""),
            form=RegisterForm(),
        )
    if not RegisterForm().validate_on_submit():
        expired_form()
    try:
        lifecycle.register_pilot(pilot, auth_service.current_user(), utcnow().date())
    except lifecycle.TransitionError as error:
        flash(str(error), "error")
    else:
        flash(gettext("Registered. The hypothesis is now frozen and the pilot is public."))
    return redirect(url_for(".show", slug=pilot.slug))


@bp.route("/pilots/<slug>/start", methods=["GET", "POST"])
@requires("change-pilot-status")
def start(slug: str) -> Any:
    """Ask for the day it actually started (today unless changed), then mark it running."""
    pilot = editable_pilot(slug)
    try:
        lifecycle.check_action(pilot, "start")
    except lifecycle.TransitionError as error:
        abort(400, f"{error}.")
    form = StartForm()
    today = utcnow().date()
    if request.method == "GET":
        form.started_on.data = today
    if form.validate_on_submit():
        try:
            lifecycle.change_status(
                pilot, "start", auth_service.current_user(), today, started_on=form.started_on.data
            )
        except lifecycle.TransitionError as error:
            form.started_on.errors = [str(error)]
        else:
            flash(gettext("The pilot is now running."))
            return redirect(url_for(".show", slug=pilot.slug))
    return form_page("pilots/start-form.html", form=form, pilot=pilot)


@bp.route("/pilots/<slug>/<any(stop, withdraw):action>", methods=["GET", "POST"])
@requires("change-pilot-status")
def stop_or_withdraw(slug: str, action: str) -> Any:
    pilot = editable_pilot(slug)
    try:
        lifecycle.check_action(pilot, action)
    except lifecycle.TransitionError as error:
        abort(400, f"{error}.")
    form = ReasonForm()
    if form.validate_on_submit():
        lifecycle.change_status(
            pilot, action, auth_service.current_user(), utcnow().date(), form.reason.data
        )
        flash(str(DONE[action]))
        return redirect(url_for(".show", slug=pilot.slug))
    return form_page("pilots/reason-form.html", form=form, pilot=pilot, action=action)


@bp.route("/pilots/<slug>/amend", methods=["GET", "POST"])
@requires("amend-pilot")
def amend(slug: str) -> Any:
    pilot = editable_pilot(slug)
    try:
        history.check_amendable(pilot)
    except history.AmendmentError as error:
        flash(f"{error}.")
        return redirect(url_for(".edit", slug=pilot.slug))
    frozen = history.frozen_measures(pilot.id)
    form = amend_form_for(pilot, frozen, filled=request.method == "POST")
    if form.validate_on_submit():
        try:
            version = history.amend_pilot(
                pilot, form.amendment_data(frozen), auth_service.current_user()
            )
        except history.AmendmentError as error:
            form.reason.errors = [*form.reason.errors, str(error)]
        else:
            flash(gettext("Amended: this is now version %(number)s.", number=version.number))
            return redirect(url_for(".history_page", slug=pilot.slug))
    return form_page("pilots/amend.html", form=form, pilot=pilot, measures=frozen)
