from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from app.auth import service as auth_service
from app.auth.permissions import authorise, requires
from app.common.db_types import utcnow
from app.common.figures.charts import BarChart
from app.common.figures.tables import cell_text, table_csv_lines
from app.common.forms import add_errors
from app.common.markdown import render_markdown
from app.common.pagination import page_number
from app.common.text import slugify
from app.funding import awards, dashboard, service
from app.funding.forms import AwardForm, ProgrammeForm
from app.funding.models import Award, Programme

bp = Blueprint("funding", __name__)


def _programme_or_404(slug: str) -> Programme:
    programme = service.programme_by_slug(slug) if len(slug) <= 100 else None
    if programme is None:
        abort(404)
    return programme


def _authorise_funder() -> None:
    authorise(service.can_manage_funding(auth_service.current_user()))


@bp.get("/funding")
def index() -> str:
    return render_template(
        "funding/index.html",
        programmes=service.list_programmes(),
        can_manage=service.can_manage_funding(auth_service.current_user()),
    )


@bp.get("/funding/programmes/<slug>")
def programme(slug: str) -> str:
    found = _programme_or_404(slug)
    results = service.programme_totals(found)
    page = service.public_awards_page(found, page_number(request.args.get("page")), results.awards)
    return render_template(
        "funding/programme.html",
        programme=found,
        page=page,
        page_url=lambda n: url_for(".programme", slug=found.slug, page=n),
        results=results,
        conditions=render_markdown(found.conditions),
        description=render_markdown(found.description),
        can_manage=service.can_manage_funding(auth_service.current_user()),
    )


def _save_programme(form: ProgrammeForm, existing: Programme | None) -> Programme | None:
    """The saved programme, or None with the errors on the form."""
    form.prepare()
    if not form.validate_on_submit():
        return None
    try:
        return service.save_programme(form.programme_data(), existing)
    except service.FundingRulesError as error:
        add_errors(form, error.errors)
        return None


@bp.route("/funding/programmes/new", methods=["GET", "POST"])
@requires("manage-funding")
def new_programme() -> ResponseReturnValue:
    _authorise_funder()
    form = ProgrammeForm()
    saved = _save_programme(form, None)
    if saved is not None:
        flash(gettext("Programme created."))
        return redirect(url_for(".programme", slug=saved.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("funding/programme-form.html", form=form, programme=None), status


@bp.route("/funding/programmes/<slug>/edit", methods=["GET", "POST"])
@requires("manage-funding")
def edit_programme(slug: str) -> ResponseReturnValue:
    _authorise_funder()
    found = _programme_or_404(slug)
    form = ProgrammeForm(obj=found if request.method == "GET" else None)
    if request.method == "GET":
        form.total_budget.data = found.total_budget_pence
        form.pillars.data = found.pillars
    saved = _save_programme(form, found)
    if saved is not None:
        flash(gettext("Your changes have been saved."))
        return redirect(url_for(".programme", slug=saved.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("funding/programme-form.html", form=form, programme=found), status


def _save_award(form: AwardForm, programme: Programme, existing: Award | None) -> Award | None:
    """The saved award, or None with the errors on the form."""
    form.prepare(awards.awardable_pilots())
    if not form.validate_on_submit() or form.award_date.data is None:
        return None
    try:
        return awards.save_award(programme, form.entered(), existing)
    except service.FundingRulesError as error:
        add_errors(form, error.errors)
        return None


@bp.route("/funding/programmes/<slug>/awards/new", methods=["GET", "POST"])
@requires("manage-funding")
def new_award(slug: str) -> ResponseReturnValue:
    _authorise_funder()
    found = _programme_or_404(slug)
    form = AwardForm()
    if request.method == "GET" and request.args.get("pilot"):
        form.pilot.data = request.args["pilot"]
    if _save_award(form, found, None) is not None:
        flash(gettext("Award recorded."))
        return redirect(url_for(".programme", slug=found.slug))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "funding/award-form.html", form=form, programme=found, award=None
    ), status


@bp.route("/funding/programmes/<slug>/awards/<id:award_id>/edit", methods=["GET", "POST"])
@requires("manage-funding")
def edit_award(slug: str, award_id: int) -> ResponseReturnValue:
    _authorise_funder()
    found = _programme_or_404(slug)
    award = awards.award_in_programme(found, award_id)
    if award is None:
        abort(404)
    form = AwardForm(obj=award if request.method == "GET" else None)
    if request.method == "GET":
        form.pilot.data = award.pilot.slug
        form.recipient.data = award.recipient.code
        form.amount_awarded.data = award.amount_awarded_pence
        form.amount_disbursed.data = award.amount_disbursed_pence
    if _save_award(form, found, award) is not None:
        flash(gettext("Your changes have been saved."))
        return redirect(url_for(".programme", slug=found.slug))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "funding/award-form.html", form=form, programme=found, award=award
    ), status


def _dashboard_filters() -> dashboard.DashboardFilters:
    args = request.args
    programme = None
    if args.get("programme"):
        programme = service.programme_by_slug(args["programme"][:100])
        if programme is None:
            abort(400, f"There is no programme {args['programme']!r}. Choose one from the list.")
    round_ = args.get("round") or None
    if round_ and round_ not in service.programme_rounds():
        abort(400, f"There is no round {round_!r}. Choose one from the list.")
    year = args.get("year") or None
    if year and not (re.fullmatch(r"[0-9]{4}", year) and 1900 <= int(year) <= 2100):
        abort(400, "The year must be a year like 2026.")
    return dashboard.DashboardFilters(programme, round_, int(year) if year else None)


def _filter_query(filters: dashboard.DashboardFilters) -> dict[str, str]:
    query = {
        "programme": filters.programme.slug if filters.programme else "",
        "round": filters.round or "",
        "year": str(filters.year) if filters.year else "",
    }
    return {k: v for k, v in query.items() if v}


@bp.get("/funding/dashboard")
@requires("view-funding-dashboard")
def funder_dashboard() -> str:
    _authorise_funder()
    filters = _dashboard_filters()
    board = dashboard.build_dashboard(filters, utcnow())
    charts: dict[str, BarChart] = board.charts
    return render_template(
        "funding/dashboard.html",
        board=board,
        charts=charts,
        filters=filters,
        query=_filter_query(filters),
        programmes=service.all_programmes(),
        rounds=service.programme_rounds(filters.programme),
        years=dashboard.award_years(),
        cell_text=cell_text,
    )


@bp.get("/funding/dashboard.csv")
@requires("view-funding-dashboard")
def dashboard_csv() -> Response:
    _authorise_funder()
    key = request.args.get("table", "")
    if key not in dashboard.TABLE_KEYS:
        abort(400, "Choose a table: " + ", ".join(dashboard.TABLE_KEYS))
    filters = _dashboard_filters()
    table = dashboard.dashboard_table(key, filters, utcnow())
    name = slugify("-".join(["funding", key, *_filter_query(filters).values()]))
    return Response(
        stream_with_context(table_csv_lines(table)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
