"""Changing a pilot's course: register it, start it, stop or withdraw it, amend what registration
froze."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from app.auth import service as auth_service
from app.auth.permissions import requires
from app.common.db_types import utcnow
from app.pilots import history, lifecycle
from app.pilots.forms.lifecycle import ActionForm, ReasonForm, amend_form_for
from app.pilots.forms.pilot import RegisterForm
from app.pilots.routes import bp, editable_pilot, expired_form, form_page

DONE = {"stop": _l("The pilot was stopped."), "withdraw": _l("The pilot was withdrawn.")}


@bp.post("/pilots/<slug>/register")
@requires("register-pilot")
def register(slug: str) -> Response:
    pilot = editable_pilot(slug)
    if not RegisterForm().validate_on_submit():
        expired_form()
    try:
        lifecycle.register_pilot(pilot, auth_service.current_user(), utcnow().date())
    except lifecycle.TransitionError as error:
        flash(str(error), "error")
    else:
        flash(gettext("Registered. The hypothesis is now frozen and the pilot is public."))
    return redirect(url_for(".show", slug=pilot.slug))


@bp.post("/pilots/<slug>/start")
@requires("change-pilot-status")
def start(slug: str) -> Response:
    pilot = editable_pilot(slug)
    if not ActionForm().validate_on_submit():
        expired_form()
    try:
        lifecycle.change_status(pilot, "start", auth_service.current_user(), utcnow().date())
    except lifecycle.TransitionError as error:
        abort(400, str(error))
    flash(gettext("The pilot is now running."))
    return redirect(url_for(".show", slug=pilot.slug))


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
