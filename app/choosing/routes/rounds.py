"""Setting up a round, its page, and taking it through its lifecycle."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from app.auth import service as auth_service
from app.auth.memberships import administered_councils
from app.auth.permissions import PUBLIC, authorise, requires
from app.choosing import access, evidence, ideas, lifecycle, results, setup
from app.choosing.charts import score_chart
from app.choosing.errors import ChoosingError
from app.choosing.forms import ButtonForm, RoundSetupForm, council_choices
from app.choosing.models import Round
from app.choosing.routes import (
    bp,
    expired_form,
    form_page,
    managed_round,
    show_errors,
    visible_round,
)
from app.common.forms import choices
from app.councils import service as councils_service
from app.councils.models import Council

NORMALISED = _l("The weights did not sum to 1: the result uses them scaled to sum to 1.")
STEP_DONE = {
    "open": _l("The round is open: its configuration is frozen and its ideas are published."),
    "scoring": _l("Scoring has begun: the set-up can no longer change."),
    "closed": _l("The round is closed: the result is published."),
    "rescoring": _l("The second scoring has begun: scorers see the first scoring's distribution."),
}


def _setup_data(form: RoundSetupForm) -> setup.SetupInput:
    return setup.SetupInput(
        title=form.title.data or "",
        idea_ids=list(form.ideas.data or []),
        criteria=form.criteria.data or "",
        panel=form.panel.data or "",
        anonymous=bool(form.anonymous.data),
        consultation_ids=list(form.consultations.data or []),
        reason=(form.reason.data or "") if form.reason else "",
    )


def _field_errors(error: ChoosingError) -> dict[str, str]:
    fields = {"idea_ids": "ideas", "consultation_ids": "consultations"}
    return {fields.get(k, k): v for k, v in error.errors.items()}


def _offer_ideas(form: RoundSetupForm, council: Council | None, councils: list[Council]) -> None:
    # A new round offers every idea of the councils the admin runs, named with the council.
    user = auth_service.current_user()
    listed = [council] if council else councils
    form.ideas.choices = choices(
        (idea.id, idea.title if council else f"{idea.title} ({c.nice_name})")
        for c in listed
        for idea in ideas.council_ideas(c, user)
        if idea.pilot_id is None
    )
    form.consultations.choices = choices(
        (c.id, c.question if council else f"{c.question} ({each.nice_name})")
        for each in listed
        for c in evidence.closed_consultations(each)
    )


@bp.route("/rounds/new", methods=["GET", "POST"])
@requires("manage-rounds")
def new_round() -> ResponseReturnValue:
    user = auth_service.current_user()
    councils = administered_councils(user)
    form = RoundSetupForm()
    form.council.choices = council_choices(councils)
    _offer_ideas(form, None, councils)
    del form.reason
    if form.validate_on_submit():
        council = councils_service.council_by_code(form.council.data or "")
        authorise(council is not None and access.may_manage_rounds(user, council.id))
        try:
            created, normalised = setup.create_round(council, _setup_data(form), user)  # type: ignore[arg-type]
        except ChoosingError as error:
            show_errors(form, _field_errors(error))
        else:
            flash(gettext("Draft round saved. Only your council can see it until you open it."))
            if normalised:
                flash(str(NORMALISED))
            return redirect(url_for(".round_page", round_id=created.id))
    return form_page("choosing/round-setup.html", form=form, round=None)


def _setup_form(round_: Round) -> RoundSetupForm:
    if request.method == "POST":
        return RoundSetupForm()
    return RoundSetupForm(
        data={
            "title": round_.title,
            "ideas": [link.idea_id for link in round_.idea_links],
            "criteria": "\n".join(
                f"{c.name} | {c.weight.normalize():f} | {c.direction} | {'; '.join(c.definitions)}"
                for c in round_.criteria
            ),
            "panel": "\n".join(p.user.email for p in round_.panel),
            "anonymous": round_.anonymous,
            "consultations": [link.consultation_id for link in round_.evidence_links],
        }
    )


@bp.route("/rounds/<id:round_id>/setup", methods=["GET", "POST"])
@requires("manage-rounds")
def setup_round(round_id: int) -> ResponseReturnValue:
    round_ = managed_round(round_id)
    form = _setup_form(round_)
    del form.council
    _offer_ideas(form, round_.council, [])
    if round_.status != "open":
        del form.reason
    if round_.status not in ("draft", "open"):
        flash(gettext("Scoring has begun: the round's set-up can no longer change."), "error")
        return redirect(url_for(".round_page", round_id=round_.id))
    if form.validate_on_submit():
        try:
            _, normalised = setup.save_setup(round_, _setup_data(form), auth_service.current_user())
        except ChoosingError as error:
            show_errors(form, _field_errors(error))
        else:
            flash(
                gettext("The round's set-up was amended.")
                if round_.status == "open"
                else gettext("Changes saved.")
            )
            if normalised:
                flash(str(NORMALISED))
            return redirect(url_for(".round_page", round_id=round_.id))
    return form_page("choosing/round-setup.html", form=form, round=round_)


@bp.post("/rounds/<id:round_id>/status")
@requires("manage-rounds")
def move_round(round_id: int) -> Response:
    round_ = managed_round(round_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        expired_form()
    try:
        lifecycle.move_round(round_, form.to.data or "", auth_service.current_user())
    except ChoosingError as error:
        flash(str(error), "error")
    else:
        flash(str(STEP_DONE[round_.status]))
    return redirect(url_for(".round_page", round_id=round_.id))


def _result_context(round_: Round) -> dict[str, Any]:
    published = results.published_result(round_)
    titles = results.idea_titles(round_)
    if published is None:
        return {"published": None}
    chart = score_chart("result", gettext("Weighted score by idea"), published.result, titles)
    first_chart = None
    if published.first is not None:
        first_chart = score_chart("first", gettext("First scoring"), published.first, titles)
    return {"published": published, "chart": chart, "first_chart": first_chart}


@bp.get("/rounds/<id:round_id>")
@requires(PUBLIC)
def round_page(round_id: int) -> str:
    round_ = visible_round(round_id)
    user = auth_service.current_user()
    return render_template(
        "choosing/round.html",
        round=round_,
        titles=results.idea_titles(round_),
        criterion_names=results.criterion_names(round_),
        declarations=results.published_declarations(round_),
        normalised=setup.weights_need_normalising(round_.criteria),
        evidence=evidence.round_evidence(round_),
        may_manage=access.may_manage_rounds(user, round_.council_id),
        on_panel=access.on_panel(user, round_),
        form=ButtonForm(),
        **_result_context(round_),
    )
