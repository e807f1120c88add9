"""The outcome report: anyone reads it; the lead council's editors check the proposed verdict,
then report the outcome, which concludes the pilot."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from app.auth import service as auth_service
from app.auth.permissions import requires
from app.common.db_types import utcnow
from app.common.forms import add_errors
from app.pilots import contributions, lifecycle, measures, results
from app.pilots.forms.measures import ResultsForm, results_form_for
from app.pilots.models import Pilot
from app.pilots.routes import bp, editable_pilot, visible_pilot


def _results_page(
    pilot: Pilot, form: ResultsForm, proposed: str | None = None, status: int | None = None
) -> Any:
    page = render_template(
        "pilots/results.html",
        form=form,
        pilot=pilot,
        measures=measures.measures_of(pilot),
        proposed=proposed,
        can_report=results.can_report(auth_service.current_user(), pilot),
        outcome=results.outcome_of(pilot),
        sections=[
            Markup(render_template(template, pilot=pilot, **context))  # noqa: S704 (autoescaped)
            for template, context in contributions.page_sections(pilot, "results")
        ],
    )
    return page, status or (400 if request.method == "POST" else 200)


@bp.get("/pilots/<slug>/results")
def results_page(slug: str) -> Any:
    pilot = visible_pilot(slug)
    return _results_page(pilot, results_form_for(measures.measures_of(pilot)))


@bp.post("/pilots/<slug>/results")
@requires("report-results")
def report_results(slug: str) -> Any:
    pilot = editable_pilot(slug)
    try:
        results.check_can_report(pilot)
    except lifecycle.TransitionError as error:
        abort(400, f"{error}.")
    all_measures = measures.measures_of(pilot)
    form = results_form_for(all_measures)
    if not form.validate_on_submit():
        return _results_page(pilot, form)
    data = form.outcome_data(all_measures)
    if form.preview.data:
        form.verdict.data = form.verdict.data or data.proposed_verdict()  # confirm in one click
        return _results_page(pilot, form, data.proposed_verdict(), status=200)
    try:
        results.conclude_pilot(pilot, data, auth_service.current_user(), utcnow().date())
    except results.OutcomeError as error:
        add_errors(form, error.problems)
        return _results_page(pilot, form, data.proposed_verdict())
    flash(gettext("Concluded: %(verdict)s.", verdict=data.verdict))
    return redirect(url_for(".show", slug=pilot.slug))
