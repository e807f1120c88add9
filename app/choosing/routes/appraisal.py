"""An idea's options appraisal: its council's editors write it with the pilots' appraisal form
before the idea is chosen; when the idea becomes a draft pilot the appraisal goes with it."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.appraisal.forms import (
    AppraisalForm,
    appraisal_form,
    error_list,
    save_posted_appraisal,
)
from app.appraisal.rows import formdata_of
from app.appraisal.service import idea_appraisal, registry_reference, save_idea_appraisal
from app.auth import service as auth_service
from app.auth.permissions import authorise, requires
from app.choosing import access
from app.choosing.models import Idea
from app.choosing.routes import bp, visible_idea
from app.common.db_types import utcnow


def _writable_idea(idea_id: int) -> Idea:
    """The idea, if this person writes its council's ideas and it is not yet a pilot (then the
    appraisal is the pilot's, written from the pilot's pages)."""
    idea = visible_idea(idea_id)
    authorise(access.may_write_ideas(auth_service.current_user(), idea.council_id))
    if idea.pilot_id is not None:
        abort(404)
    return idea


def _form_page(idea: Idea, form: AppraisalForm, status: int = 200) -> Any:
    figures = registry_reference()
    page = {"reference": figures, "needs_reason": False}
    return render_template(
        "appraisal/form.html",
        page=page,
        idea=idea,
        form=form,
        errors=error_list(form),
        channels=figures.channels,
    ), status


@bp.get("/ideas/<id:idea_id>/appraisal")
@requires("write-ideas")
def edit_idea_appraisal(idea_id: int) -> Any:
    idea = _writable_idea(idea_id)
    figures = registry_reference()
    data = formdata_of(idea_appraisal(idea.id), figures, utcnow().year)
    return _form_page(idea, appraisal_form(figures, formdata=data))


@bp.post("/ideas/<id:idea_id>/appraisal")
@requires("write-ideas")
def save_idea_appraisal_page(idea_id: int) -> Any:
    idea = _writable_idea(idea_id)
    unsaved = save_posted_appraisal(
        request.form,
        registry_reference(),
        lambda _form, appraisal: save_idea_appraisal(idea.id, appraisal),
        lambda form, status: _form_page(idea, form, status),
    )
    if unsaved is not None:
        return unsaved
    flash(gettext("The idea's appraisal is saved and its figures are worked out."))
    return redirect(url_for(".idea", idea_id=idea.id))
