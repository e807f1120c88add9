"""Writing a pilot down: a new draft, editing it (frozen fields stay as registered), and its
success measures."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from werkzeug.wrappers import Response

from app.auth import service as auth_service
from app.auth.permissions import authorise, requires
from app.common.forms import add_errors
from app.councils import service as councils_service
from app.pilots import editing, lifecycle, measures
from app.pilots.forms.lifecycle import ActionForm
from app.pilots.forms.measures import MeasureForm
from app.pilots.forms.pilot import PilotForm, pilot_form_data
from app.pilots.models import Pilot
from app.pilots.routes import bp, editable_pilot, expired_form, form_page

DRAFT_SAVED = _l("Draft saved. Only your council can see it until you register it.")
CHANGES_SAVED = _l("Your changes have been saved.")


def _save(form: PilotForm, pilot: Pilot | None, done: LazyString) -> Response | None:
    """Save a valid form and go to the pilot's page; None, with the errors on the form, if the
    service refuses it."""
    try:
        saved = editing.save_pilot(form.entered(), auth_service.current_user(), pilot)
    except editing.PilotRulesError as error:
        form.show_errors(error.errors)
        return None
    flash(str(done))
    return redirect(url_for(".show", slug=saved.slug))


@bp.route("/pilots/new", methods=["GET", "POST"])
@requires("create-pilot")
def new() -> ResponseReturnValue:
    user = auth_service.current_user()
    authorise(auth_service.can_create_pilots(user))
    form = PilotForm()
    form.prepare(editing.lead_council_choices(user), councils_service.all_councils())
    if form.validate_on_submit() and (saved := _save(form, None, DRAFT_SAVED)) is not None:
        return saved
    return form_page("pilots/form.html", form=form, pilot=None, frozen=())


@bp.route("/pilots/<slug>/edit", methods=["GET", "POST"])
@requires("edit-pilot")
def edit(slug: str) -> ResponseReturnValue:
    pilot = editable_pilot(slug)
    frozen = lifecycle.frozen_fields(pilot)
    initial = pilot_form_data(pilot)
    form = PilotForm(data=initial) if request.method == "GET" else PilotForm()
    form.prepare(
        editing.lead_council_choices(auth_service.current_user(), pilot),
        councils_service.all_councils(),
    )
    if request.method == "POST":
        form.keep(frozen, initial)  # so that a frozen field's box cannot fail validation
    if form.validate_on_submit() and (saved := _save(form, pilot, CHANGES_SAVED)) is not None:
        return saved
    return form_page("pilots/form.html", form=form, pilot=pilot, frozen=frozen)


@bp.route("/pilots/<slug>/measures/new", methods=["GET", "POST"])
@bp.route("/pilots/<slug>/measures/<id:measure_id>/edit", methods=["GET", "POST"])
@requires("edit-pilot")
def measure(slug: str, measure_id: int | None = None) -> Any:
    pilot = editable_pilot(slug)
    existing = measures.measure_of(pilot, measure_id) if measure_id else None
    if measure_id and existing is None:
        abort(404)
    form = MeasureForm(obj=existing if request.method == "GET" else None)
    if request.method == "GET" and existing is None and not measures.measures_of(pilot):
        form.kind.data = "primary"  # a pilot's first measure is nearly always its primary one
    if form.validate_on_submit():
        try:
            measures.save_measure(pilot, existing, form.measure_data(), auth_service.current_user())
        except measures.MeasureError as error:
            if error.field is None:
                abort(400, str(error))
            add_errors(form, {error.field: str(error)})
        else:
            flash(gettext("Measure saved."))
            return redirect(url_for(".show", slug=pilot.slug))
    return form_page("pilots/measure-form.html", form=form, pilot=pilot, measure=existing)


@bp.post("/pilots/<slug>/measures/<id:measure_id>/delete")
@requires("edit-pilot")
def delete_measure(slug: str, measure_id: int) -> Response:
    pilot = editable_pilot(slug)
    existing = measures.measure_of(pilot, measure_id)
    if existing is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        expired_form()
    try:
        measures.delete_measure(existing, auth_service.current_user())
    except measures.MeasureError as error:
        abort(400, str(error))
    flash(gettext("Measure removed."))
    return redirect(url_for(".show", slug=pilot.slug))
