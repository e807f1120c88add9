"""A panel member's pages: declaring an interest, and scoring (each scorer sees only their own
scores; beside each idea, what other councils have already piloted, from the registry's search)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from app.auth import service as auth_service
from app.auth.permissions import requires
from app.choosing import access, evidence, results, scoring
from app.choosing.errors import ChoosingError
from app.choosing.forms import DeclarationForm, ScoresForm
from app.choosing.models import SCORING_STATUSES, Round
from app.choosing.routes import bp, form_page, show_errors, visible_round
from app.common.forms import choices
from app.search.elsewhere import piloted_elsewhere


def _panel_round(round_id: int) -> Round:
    """The round, if this person is on its panel; else 403."""
    round_ = visible_round(round_id)
    if not access.on_panel(auth_service.current_user(), round_):
        abort(403)
    return round_


@bp.route("/rounds/<id:round_id>/declarations", methods=["GET", "POST"])
@requires("declare-interests")
def declare(round_id: int) -> ResponseReturnValue:
    round_ = _panel_round(round_id)
    user = auth_service.current_user()
    form = DeclarationForm()
    form.idea.choices = choices(
        [("", gettext("Not about one idea"))] + [(str(i.id), i.title) for i in round_.ideas]
    )
    if form.validate_on_submit():
        try:
            idea_id = int(form.idea.data) if form.idea.data else None
            scoring.declare_interest(round_, user, idea_id, form.text.data or "")  # type: ignore[arg-type]
        except ChoosingError as error:
            show_errors(form, error.errors)
        else:
            flash(gettext("Your interest is recorded. It is published with the round's result."))
            return redirect(url_for(".declare", round_id=round_.id))
    return form_page(
        "choosing/declarations.html",
        round=round_,
        form=form,
        declarations=scoring.own_declarations(round_, user),
        taking=round_.status in scoring.DECLARING_STATUSES,
    )


def _entered(round_: Round) -> dict[scoring.Cell, scoring.EnteredScore]:
    return {
        (link.idea_id, c.id): scoring.EnteredScore(
            request.form.get(f"score-{link.idea_id}-{c.id}", ""),
            request.form.get(f"reason-{link.idea_id}-{c.id}", ""),
        )
        for link in round_.idea_links
        for c in round_.criteria
    }


@bp.route("/rounds/<id:round_id>/scores", methods=["GET", "POST"])
@requires("score-rounds")
def score(round_id: int) -> ResponseReturnValue:
    round_ = _panel_round(round_id)
    user = auth_service.current_user()
    form = ScoresForm()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            count = scoring.save_scores(round_, user, _entered(round_))  # type: ignore[arg-type]
        except ChoosingError as error:
            errors = error.errors
        else:
            total = len(round_.idea_links) * len(round_.criteria)
            flash(
                gettext("Your scores are saved: %(count)s of %(total)s.", count=count, total=total)
            )
            return redirect(url_for(".score", round_id=round_.id))
    elif request.method == "POST":
        show_errors(form, {"": gettext("The form had expired. Try again.")})
    # A second scoring starts from the scorer's first (carried over when it began).
    own = scoring.own_scores(round_, user, round_.scoring)
    return form_page(
        "choosing/scores.html",
        round=round_,
        form=form,
        errors=errors,
        entered=request.form if errors else None,
        own=own,
        taking=round_.status in SCORING_STATUSES,
        distribution={d.idea: d for d in results.delphi_distribution(round_)},
        evidence=evidence.round_evidence(round_),
        elsewhere={i.id: piloted_elsewhere(i.title, round_.council_id) for i in round_.ideas},
    )
