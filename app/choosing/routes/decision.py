"""The council's decision on a closed round, and the round's open data (JSON and CSV)."""

from __future__ import annotations

import json

from flask import Response as FlaskResponse
from flask import abort, flash, redirect, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from app.auth import service as auth_service
from app.auth.permissions import PUBLIC, authorise, requires
from app.choosing import access, decisions, publication, results
from app.choosing.errors import ChoosingError
from app.choosing.forms import DecisionForm
from app.choosing.routes import bp, form_page, show_errors, visible_round


@bp.route("/rounds/<id:round_id>/decision", methods=["GET", "POST"])
@requires("decide-rounds")
def decide(round_id: int) -> ResponseReturnValue:
    round_ = visible_round(round_id)
    user = auth_service.current_user()
    authorise(access.may_manage_rounds(user, round_.council_id))
    if round_.status != "closed":
        flash(gettext("Only a closed round can be decided."), "error")
        return redirect(url_for(".round_page", round_id=round_.id))
    form = DecisionForm()
    form.prepare(round_.ideas)
    if form.validate_on_submit():
        data = decisions.DecisionInput(
            chosen=form.chosen(),
            departure_reason=form.departure_reason.data or "",
            meeting=form.meeting.data or "",
            minute_reference=form.minute_reference.data or "",
        )
        try:
            made = decisions.decide_round(round_, data, user)
        except ChoosingError as error:
            show_errors(form, error.errors)
        else:
            flash(
                gettext(
                    "The decision is recorded and published. %(count)s draft pilots were made "
                    "from the ideas chosen.",
                    count=len(made),
                )
            )
            return redirect(url_for(".round_page", round_id=round_.id))
    return form_page(
        "choosing/decision.html",
        round=round_,
        form=form,
        published=results.published_result(round_),
        titles=results.idea_titles(round_),
    )


@bp.get("/rounds/<id:round_id>.json")
@requires(PUBLIC)
def round_json(round_id: int) -> FlaskResponse:
    document = publication.round_document(visible_round(round_id))
    if document is None:
        abort(404)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return FlaskResponse(body, mimetype="application/json")


@bp.get("/rounds/<id:round_id>.csv")
@requires(PUBLIC)
def round_csv(round_id: int) -> FlaskResponse:
    lines = publication.round_csv(visible_round(round_id))
    if lines is None:
        abort(404)
    response = FlaskResponse(stream_with_context(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename=round-{round_id}.csv"
    return response
