"""Writing an idea, publishing it, and a council's list of its ideas."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.appraisal.service import idea_appraisal
from app.auth import service as auth_service
from app.auth.permissions import PUBLIC, authorise, requires
from app.choosing import access, ideas
from app.choosing.errors import ChoosingError
from app.choosing.forms import (
    COST_BAND_LABELS,
    RAISED_BY_LABELS,
    ButtonForm,
    IdeaForm,
    idea_form_data,
)
from app.choosing.models import Idea
from app.choosing.routes import bp, expired_form, form_page, show_errors, visible_idea
from app.common.pagination import page_number
from app.councils import service as councils_service
from app.pillars.service import pillar_names


def _saved(form: IdeaForm, save: Callable[[], Idea]) -> Idea | None:
    """The idea saved, or None with the service's errors shown on the form."""
    try:
        return save()
    except ChoosingError as error:
        show_errors(form, error.errors)
        return None


@bp.route("/ideas/new", methods=["GET", "POST"])
@requires("write-ideas")
def new_idea() -> ResponseReturnValue:
    user = auth_service.current_user()
    form = IdeaForm()
    form.prepare(auth_service.editable_councils(user))
    if form.validate_on_submit():
        council = councils_service.council_by_code(form.council.data or "")
        authorise(council is not None and access.may_write_ideas(user, council.id))
        saved = _saved(form, lambda: ideas.create_idea(council, form.entered(), user))  # type: ignore[arg-type]
        if saved is not None:
            flash(gettext("Idea saved. Only your council can see it until it is published."))
            return redirect(url_for(".idea", idea_id=saved.id))
    return form_page("choosing/idea-form.html", form=form, idea=None)


@bp.get("/ideas/<id:idea_id>")
@requires(PUBLIC)
def idea(idea_id: int) -> str:
    shown = visible_idea(idea_id)
    user = auth_service.current_user()
    return render_template(
        "choosing/idea.html",
        idea=shown,
        may_edit=access.may_write_ideas(user, shown.council_id),
        form=ButtonForm(),
        appraisal=idea_appraisal(shown.id) if shown.pilot_id is None else None,
        rounds=ideas.idea_rounds(shown, user),
        consultations=ideas.idea_consultations(shown, user),
        raised_by=RAISED_BY_LABELS,
        cost_bands=COST_BAND_LABELS,
        pillar_names=pillar_names(),
    )


@bp.route("/ideas/<id:idea_id>/edit", methods=["GET", "POST"])
@requires("write-ideas")
def edit_idea(idea_id: int) -> ResponseReturnValue:
    shown = visible_idea(idea_id)
    user = auth_service.current_user()
    authorise(access.may_write_ideas(user, shown.council_id))
    form = IdeaForm(data=idea_form_data(shown)) if request.method == "GET" else IdeaForm()
    form.prepare(None)
    save = lambda: ideas.update_idea(shown, form.entered(), user)  # noqa: E731
    if form.validate_on_submit() and _saved(form, save) is not None:
        flash(gettext("Changes saved."))
        return redirect(url_for(".idea", idea_id=shown.id))
    return form_page("choosing/idea-form.html", form=form, idea=shown)


@bp.post("/ideas/<id:idea_id>/publish")
@requires("write-ideas")
def publish_idea(idea_id: int) -> Response:
    shown = visible_idea(idea_id)
    user = auth_service.current_user()
    authorise(access.may_write_ideas(user, shown.council_id))
    if not ButtonForm().validate_on_submit():
        expired_form()
    try:
        ideas.publish_idea(shown, user)
    except ChoosingError as error:
        flash(str(error), "error")
    else:
        flash(gettext("Published: anyone can now see this idea."))
    return redirect(url_for(".idea", idea_id=shown.id))


@bp.get("/councils/<code>/ideas")
@requires("view-council-ideas")
def council_ideas(code: str) -> str:
    council = councils_service.council_by_code(code)
    if council is None:
        abort(404)
    user = auth_service.current_user()
    authorise(access.may_see_private(user, council.id))
    page = ideas.council_ideas_page(council, user, page_number(request.args.get("page")))
    if not page.items and page.page > 1:
        abort(404)
    return render_template(
        "choosing/council-ideas.html",
        council=council,
        page=page,
        page_url=lambda n: url_for(".council_ideas", code=council.slug, page=n),
        rounds=ideas.council_rounds(council, user),
        may_write=access.may_write_ideas(user, council.id),
        may_manage=access.may_manage_rounds(user, council.id),
    )
