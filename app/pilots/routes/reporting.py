"""Keeping the registry told: progress updates from the lead and partner councils, a later report
date approved by an admin, and the list of overdue outcome reports."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.auth import service as auth_service
from app.auth.permissions import authorise, requires
from app.common.db_types import utcnow
from app.common.pagination import page_number
from app.pilots import overdue, report_queries, updates
from app.pilots.forms.lifecycle import ExtensionForm, UpdateForm
from app.pilots.routes import bp, form_page, visible_pilot


@bp.route("/pilots/<slug>/updates/new", methods=["GET", "POST"])
@requires("post-update")
def new_update(slug: str) -> Any:
    pilot = visible_pilot(slug)
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
            return redirect(url_for(".show", slug=pilot.slug) + "#updates")
    return form_page("pilots/update-form.html", form=form, pilot=pilot)


@bp.route("/pilots/<slug>/extension", methods=["GET", "POST"])
@requires("approve-extension")
def extension(slug: str) -> Any:
    pilot = visible_pilot(slug)
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
            return redirect(url_for(".show", slug=pilot.slug))
    return form_page("pilots/extension-form.html", form=form, pilot=pilot, state=state)


@bp.get("/overdue")
def overdue_page() -> str:
    page = report_queries.overdue_page(utcnow().date(), page_number(request.args.get("page")))
    return render_template(
        "pilots/overdue.html",
        page=page,
        rows=page.items,
        page_url=lambda n: url_for(".overdue_page", page=n),
    )
