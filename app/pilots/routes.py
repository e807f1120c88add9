from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.auth import service as auth_service
from app.auth.permissions import authorise, requires
from app.common.forms import choices
from app.common.markdown import render_markdown
from app.common.pagination import page_number
from app.councils import service as councils_service
from app.councils.models import Council
from app.pillars.service import all_pillars, pillar_by_slug
from app.pilots import lifecycle, service
from app.pilots.forms import PilotForm, RegisterForm, split_list, split_tags
from app.pilots.models import STATUSES, VERDICTS, Pilot
from app.search import service as search_service

bp = Blueprint("pilots", __name__)


def _filters_from_request() -> service.PilotFilters:
    args = request.args
    filters = service.PilotFilters(
        council=args.get("council") or None,
        pillar=args.get("pillar") or None,
        status=args.get("status") or None,
        verdict=args.get("verdict") or None,
    )
    if filters.pillar and pillar_by_slug(filters.pillar) is None:
        abort(400, f"There is no pillar {filters.pillar!r}. Choose one from the list.")
    if filters.status and filters.status not in STATUSES[1:]:
        abort(400, f"There is no public status {filters.status!r}. Choose one from the list.")
    if filters.verdict and filters.verdict not in VERDICTS:
        abort(
            400,
            f"There is no verdict {filters.verdict!r}. Choose proved, disproved or inconclusive.",
        )
    if filters.council and councils_service.council_by_code(filters.council) is None:
        abort(400, f"There is no council with code {filters.council!r}.")
    return filters


@bp.get("/pilots")
def index() -> str:
    filters = _filters_from_request()
    page = service.list_public_pilots(filters, page=page_number(request.args.get("page")))
    query = {k: v for k, v in vars(filters).items() if v}
    return render_template(
        "pilots/index.html",
        page=page,
        filters=vars(filters),
        filter_options=[
            (
                "council",
                "Council",
                [(c.slug, c.nice_name) for c in councils_service.all_councils()],
            ),
            ("pillar", "Pillar", [(p.slug, p.name) for p in all_pillars()]),
            ("status", "Status", [(s, s.capitalize()) for s in STATUSES[1:]]),
            ("verdict", "Verdict", [(v, v.capitalize()) for v in VERDICTS]),
        ],
        page_url=lambda n: url_for(".index", **query, page=n),
    )


def _visible_pilot(slug: str) -> Pilot:
    pilot = service.pilot_by_slug(slug)
    if pilot is None:
        abort(404)
    if not pilot.is_public and not auth_service.can_view_council_drafts(
        auth_service.current_user(), pilot.lead_council_id
    ):
        abort(404)  # a draft is not there for anyone outside its council
    return pilot


@bp.get("/pilots/<slug>")
def show(slug: str) -> str:
    pilot = _visible_pilot(slug)
    user = auth_service.current_user()
    return render_template(
        "pilots/show.html",
        pilot=pilot,
        case_study=render_markdown(pilot.case_study),
        can_edit=auth_service.can_edit_for_council(user, pilot.lead_council_id),
        prospective=lifecycle.is_prospective(pilot),
        register_form=RegisterForm(),
        registration_problems=lifecycle.registration_problems(pilot),
        similar=search_service.similar_pilots(pilot) if pilot.is_public else [],
    )


def _prepare_form(form: PilotForm, councils: list[Council]) -> None:
    form.lead_council.choices = choices(
        [("", "Choose a council")] + [(c.code, c.nice_name) for c in councils]
    )
    form.pillars.choices = choices((p.slug, p.name) for p in all_pillars())


def _pilot_data(form: PilotForm) -> tuple[service.PilotData | None, dict[str, str]]:
    """Turn a validated form into PilotData, or say which field is wrong."""
    codes = [c.upper() for c in split_list(form.partners.data)]
    found = councils_service.councils_by_codes([*codes, form.lead_council.data])
    unknown = [c for c in codes if c not in found]
    if unknown:
        return None, {"partners": f"There is no council with code {', '.join(unknown)}"}
    data = service.PilotData(
        title=form.title.data,
        hypothesis=form.hypothesis.data,
        lead_council=found[form.lead_council.data],
        pillars=list(dict.fromkeys(form.pillars.data or [])),
        summary=form.summary.data or "",
        problem=form.problem.data or "",
        approach=form.approach.data or "",
        offline_access=form.offline_access.data or "",
        case_study=form.case_study.data or "",
        partners=[found[c] for c in dict.fromkeys(codes)],
        location=form.location.data or "",
        location_gss=form.location_gss.data or None,
        latitude=form.latitude.data,
        longitude=form.longitude.data,
        tags=split_tags(form.tags.data),
        planned_cost_pence=form.planned_cost.data,
        actual_cost_pence=form.actual_cost.data,
        start_date=form.start_date.data,
        planned_end_date=form.planned_end_date.data,
        actual_end_date=form.actual_end_date.data,
        evaluation_design=int(form.evaluation_design.data) if form.evaluation_design.data else None,
    )
    return data, service.check_pilot_rules(data)


def _attach_errors(form: PilotForm, errors: dict[str, str]) -> None:
    aliases = {"planned_cost_pence": "planned_cost", "actual_cost_pence": "actual_cost"}
    for name, message in errors.items():
        field = getattr(form, aliases.get(name, name))
        field.errors = [*field.errors, message]


@bp.route("/pilots/new", methods=["GET", "POST"])
@requires("create-pilot")
def new() -> str | Response:
    user = auth_service.current_user()
    authorise(auth_service.can_create_pilots(user))
    form = PilotForm()
    _prepare_form(form, auth_service.editable_councils(user))
    if form.validate_on_submit():
        data, errors = _pilot_data(form)
        if data is not None and not errors:
            pilot = service.create_pilot(data, user)
            flash("Draft saved. Only your council can see it until you register it.")
            return redirect(url_for(".show", slug=pilot.slug))
        _attach_errors(form, errors)
    status = 400 if request.method == "POST" else 200
    return render_template("pilots/form.html", form=form, pilot=None, frozen=()), status  # type: ignore[return-value]


@bp.route("/pilots/<slug>/edit", methods=["GET", "POST"])
@requires("edit-pilot")
def edit(slug: str) -> str | Response:
    user = auth_service.current_user()
    pilot = _visible_pilot(slug)
    authorise(auth_service.can_edit_for_council(user, pilot.lead_council_id))
    frozen = lifecycle.FROZEN_FIELDS if lifecycle.is_frozen(pilot) else ()
    form = PilotForm(obj=pilot if request.method == "GET" else None)
    if request.method == "GET":
        form.lead_council.data = pilot.lead_council.code
        form.partners.data = ", ".join(c.code for c in pilot.partners)
        form.pillars.data = pilot.pillars
        form.tags.data = ", ".join(pilot.tags)
        form.planned_cost.data = pilot.planned_cost_pence
        form.actual_cost.data = pilot.actual_cost_pence
        form.evaluation_design.data = (
            str(pilot.evaluation_design) if pilot.evaluation_design else None
        )
    councils = auth_service.editable_councils(user)
    if pilot.lead_council not in councils:
        councils = [pilot.lead_council, *councils]
    _prepare_form(form, councils)
    if frozen and request.method == "POST":
        # Frozen fields keep their registered values, whatever the request says.
        form.hypothesis.data = pilot.hypothesis
        form.planned_end_date.data = pilot.planned_end_date
        form.evaluation_design.data = (
            str(pilot.evaluation_design) if pilot.evaluation_design else None
        )
        form.planned_end_date.errors = []
    if form.validate_on_submit():
        data, errors = _pilot_data(form)
        if data is not None and not errors:
            service.update_pilot(pilot, data, user)
            flash("Your changes have been saved.")
            return redirect(url_for(".show", slug=pilot.slug))
        _attach_errors(form, errors)
    status = 400 if request.method == "POST" else 200
    return render_template("pilots/form.html", form=form, pilot=pilot, frozen=frozen), status  # type: ignore[return-value]


@bp.post("/pilots/<slug>/register")
@requires("register-pilot")
def register(slug: str) -> Response:
    user = auth_service.current_user()
    pilot = _visible_pilot(slug)
    authorise(auth_service.can_edit_for_council(user, pilot.lead_council_id))
    form = RegisterForm()
    if not form.validate_on_submit():
        abort(400, "The form had expired. Go back and try again.")
    try:
        lifecycle.register_pilot(pilot, user, date.today())
    except lifecycle.TransitionError as error:
        flash(str(error), "error")
        return redirect(url_for(".show", slug=pilot.slug))
    flash("Registered. The hypothesis is now frozen and the pilot is public.")
    return redirect(url_for(".show", slug=pilot.slug))
