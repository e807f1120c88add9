"""The business case's pages: a pilot's appraisal (anyone who may see the pilot), writing it
(editors of the lead council: an amendment with a reason once the pilot is registered), and its
lines as CSV, out and in."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.appraisal import lines_csv
from app.appraisal.amending import write_appraisal
from app.appraisal.business_cases import business_cases
from app.appraisal.forms import (
    AppraisalForm,
    add_service_errors,
    appraisal_form,
    error_list,
    outturn_form,
    outturn_values,
    save_posted_appraisal,
)
from app.appraisal.outturn import pilot_outturn, record_outturn
from app.appraisal.page import AppraisalPage, appraisal_page
from app.appraisal.rows import formdata_of
from app.appraisal.service import registry_reference
from app.appraisal.validation import AppraisalError
from app.auth import service as auth_service
from app.auth.permissions import authorise, requires
from app.common.db_types import utcnow
from app.common.figures.tables import cell_text, table_csv_lines
from app.pilots import service as pilots_service

bp = Blueprint("appraisal", __name__)


def _page_of(slug: str) -> AppraisalPage:
    user = auth_service.current_user()
    pilot = pilots_service.pilot_visible_to(user, slug)
    if pilot is None:
        abort(404)
    return appraisal_page(pilot, user)


def _writable(slug: str) -> AppraisalPage:
    page = _page_of(slug)
    authorise(page.can_edit)
    return page


@bp.get("/pilots/<slug>/appraisal")
def show(slug: str) -> str:
    return render_template("appraisal/appraisal.html", page=_page_of(slug), cell_text=cell_text)


@bp.get("/pilots/<slug>/appraisal/<table>.csv")
def table_csv(slug: str, table: str) -> Response:
    found = _page_of(slug).tables.get(table)
    if found is None:
        abort(404)
    return _csv(table_csv_lines(found), f"{slug}-appraisal-{table}.csv")


@bp.get("/pilots/<slug>/appraisal/lines.csv")
def lines(slug: str) -> Response:
    page = _page_of(slug)
    if page.appraisal is None:
        abort(404)
    return _csv(lines_csv.export_lines(page.appraisal), f"{slug}-appraisal-lines.csv")


def _csv(lines: Any, filename: str) -> Response:
    return Response(
        lines,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _form_page(page: AppraisalPage, form: AppraisalForm, status: int = 200) -> Any:
    return (
        render_template(
            "appraisal/form.html",
            page=page,
            form=form,
            errors=error_list(form),
            channels=page.reference.channels,
        ),
        status,
    )


@bp.get("/pilots/<slug>/appraisal/edit")
@requires("write-appraisal")
def edit(slug: str) -> Any:
    page = _writable(slug)
    figures = registry_reference()
    data = formdata_of(page.appraisal, figures, utcnow().year)
    return _form_page(page, appraisal_form(figures, formdata=data))


@bp.post("/pilots/<slug>/appraisal/edit")
@requires("write-appraisal")
def save(slug: str) -> Any:
    page = _writable(slug)
    unsaved = save_posted_appraisal(
        request.form,
        registry_reference(),
        lambda form, appraisal: write_appraisal(
            page.pilot, appraisal, auth_service.current_user(), form.reason.data or ""
        ),
        lambda form, status: _form_page(page, form, status),
    )
    if unsaved is not None:
        return unsaved
    flash(gettext("The appraisal is saved and its figures are worked out."))
    return redirect(url_for(".show", slug=slug))


def _import_page(page: AppraisalPage, errors: list[str], status: int = 200) -> Any:
    return render_template("appraisal/import.html", page=page, errors=errors), status


@bp.get("/pilots/<slug>/appraisal/import")
@requires("write-appraisal")
def import_form(slug: str) -> Any:
    return _import_page(_writable(slug), [])


@bp.post("/pilots/<slug>/appraisal/import")
@requires("write-appraisal")
def import_lines(slug: str) -> Any:
    page = _writable(slug)
    upload = request.files.get("file")
    reason = (request.form.get("reason") or "").strip()
    try:
        lines_csv.import_lines(page.pilot, upload, auth_service.current_user(), reason)
    except lines_csv.LinesImportError as error:
        return _import_page(page, error.problems, 400)
    flash(gettext("The lines are imported and the figures worked out again."))
    return redirect(url_for(".show", slug=slug))


@bp.route("/pilots/<slug>/appraisal/outturn", methods=["GET", "POST"])
@requires("write-appraisal")
def outturn(slug: str) -> Any:
    page = _writable(slug)
    found = pilot_outturn(page.pilot)
    if found is None or not found.reported:
        abort(404)
    form = outturn_form(found.lines)
    if form.validate_on_submit():
        try:
            record_outturn(
                page.pilot, outturn_values(form, found.lines), auth_service.current_user()
            )
        except AppraisalError as error:
            add_service_errors(form, {k.replace("-", "_"): v for k, v in error.errors.items()})
        else:
            flash(gettext("The outturn is recorded beside the forecast."))
            return redirect(url_for("pilots.results_page", slug=slug))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "appraisal/outturn.html", page=page, form=form, lines=found.lines
    ), status


@bp.get("/business-cases")
def business_cases_page() -> str:
    return render_template(
        "appraisal/business-cases.html", cases=business_cases(), cell_text=cell_text
    )


@bp.get("/business-cases.csv")
def business_cases_csv() -> Response:
    key = request.args.get("table", "")
    found = business_cases().table(key)
    if found is None:
        abort(404)
    return _csv(table_csv_lines(found), f"business-cases-{key}.csv")
