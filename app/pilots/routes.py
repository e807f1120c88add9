from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.auth import service as auth_service
from app.auth.permissions import authorise, requires
from app.common.db_types import utcnow
from app.common.forms import choices
from app.common.markdown import render_markdown
from app.common.page_cache import cached_page
from app.common.pagination import page_number
from app.common.text import format_date
from app.councils import service as councils_service
from app.councils.models import Council
from app.funding import service as funding_service
from app.pillars.service import all_pillars, pillar_by_slug, pillars_version
from app.pilots import lifecycle, service
from app.pilots.forms import PilotForm, RegisterForm, split_list, split_tags
from app.pilots.models import STATUSES, VERDICTS, Pilot
from app.pilots.record import EVIDENCE_LEVELS, pilot_record
from app.pilots.replications import replication_problem
from app.pilots.updates import posting_council
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
@cached_page(pillars_version)
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
                [(c.slug, c.nice_name) for c in service.councils_with_public_pilots()],
            ),
            ("pillar", "Pillar", [(p.slug, p.name) for p in all_pillars()]),
            ("status", "Status", [(s, s.capitalize()) for s in STATUSES[1:]]),
            ("verdict", "Verdict", [(v, v.capitalize()) for v in VERDICTS]),
        ],
        page_url=lambda n: url_for(".index", **query, page=n),
        can_create=auth_service.can_create_pilots(auth_service.current_user()),
    )


def _visible_pilot(slug: str) -> Pilot:
    pilot = service.pilot_for_page(slug)
    if pilot is None:
        abort(404)
    if not pilot.is_public and not auth_service.can_view_council_drafts(
        auth_service.current_user(), pilot.lead_council_id
    ):
        abort(404)  # a draft is not there for anyone outside its council
    return pilot


@bp.get("/pilots/<slug>")
@cached_page(search_service.index_version, pillars_version)
def show(slug: str) -> str:
    pilot = _visible_pilot(slug)
    user = auth_service.current_user()
    can_edit = auth_service.can_edit_for_council(user, pilot.lead_council_id)
    return render_template(
        "pilots/pilot.html",
        pilot=pilot,
        case_study=render_markdown(pilot.case_study),
        can_edit=can_edit,
        prospective=lifecycle.is_prospective(pilot),
        # Only editors see the form: building it for anyone else would give them a CSRF
        # token, and so a session cookie, for nothing.
        register_form=RegisterForm() if can_edit and pilot.status == "draft" else None,
        registration_problems=lifecycle.registration_problems(pilot) if can_edit else [],
        record=pilot_record(pilot, utcnow().date()),
        evidence_levels=EVIDENCE_LEVELS,
        can_post_update=can_post_update(user, pilot),
        is_admin=auth_service.is_admin(user),
        funding=funding_service.pilot_funding(pilot),
        similar=search_service.similar_pilots(pilot) if pilot.is_public else [],
    )


def can_post_update(user: object, pilot: Pilot) -> bool:
    return pilot.status in ("registered", "running") and posting_council(user, pilot) is not None  # type: ignore[arg-type]


def _prepare_form(form: PilotForm, councils: list[Council]) -> None:
    form.lead_council.choices = choices(
        [("", "Choose a council")] + [(c.code, c.nice_name) for c in councils]
    )
    form.pillars.choices = choices((p.slug, p.name) for p in all_pillars())


def _pilot_data(
    form: PilotForm, pilot: Pilot | None = None
) -> tuple[service.PilotData | None, dict[str, str]]:
    """Turn a validated form into PilotData, or say which field is wrong."""
    earlier = service.pilot_by_slug(form.replicates.data) if form.replicates.data else None
    if form.replicates.data:
        problem = replication_problem(pilot, earlier, form.replicates.data)
        if problem:
            return None, {"replicates": problem}
        if not form.replication_kind.data:
            return None, {"replication_kind": "Say whether it replicates or adapts that pilot"}
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
        set_replication=True,
        replicates=earlier,
        replication_kind=form.replication_kind.data or None,
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
            flash(gettext("Draft saved. Only your council can see it until you register it."))
            return redirect(url_for(".show", slug=pilot.slug))
        _attach_errors(form, errors)
    status = 400 if request.method == "POST" else 200
    return render_template("pilots/form.html", form=form, pilot=None, frozen=()), status  # type: ignore[return-value]


def _initial_data(pilot: Pilot) -> dict[str, object]:
    """The edit form's starting values, field by field (never the ORM objects themselves)."""
    plain = (
        "title", "summary", "problem", "hypothesis", "approach", "offline_access", "case_study",
        "location", "location_gss", "latitude", "longitude", "start_date", "planned_end_date",
        "actual_end_date", "replication_kind",
    )  # fmt: skip
    data: dict[str, object] = {name: getattr(pilot, name) for name in plain}
    data.update(
        lead_council=pilot.lead_council.code,
        partners=", ".join(c.code for c in pilot.partners),
        pillars=pilot.pillars,
        tags=", ".join(pilot.tags),
        planned_cost=pilot.planned_cost_pence,
        actual_cost=pilot.actual_cost_pence,
        evaluation_design=str(pilot.evaluation_design) if pilot.evaluation_design else None,
        replicates=pilot.replicates.slug if pilot.replicates else "",
    )
    return data


@bp.route("/pilots/<slug>/edit", methods=["GET", "POST"])
@requires("edit-pilot")
def edit(slug: str) -> str | Response:
    user = auth_service.current_user()
    pilot = _visible_pilot(slug)
    authorise(auth_service.can_edit_for_council(user, pilot.lead_council_id))
    frozen = lifecycle.frozen_fields(pilot)
    initial = _initial_data(pilot)
    form = PilotForm(data=initial) if request.method == "GET" else PilotForm()
    councils = auth_service.editable_councils(user)
    if pilot.lead_council not in councils:
        councils = [pilot.lead_council, *councils]
    _prepare_form(form, councils)
    if request.method == "POST":
        # Frozen fields keep their registered values, whatever the request says.
        for name in frozen:
            form[name].data, form[name].process_errors = initial[name], []
    if form.validate_on_submit():
        data, errors = _pilot_data(form, pilot)
        if "planned_end_date" in frozen and "planned_end_date" in errors:
            errors["start_date"] = (
                f"The start date must be on or before the planned end date, "
                f"{format_date(pilot.planned_end_date)}, which is frozen: amend it to change it"
            )
            del errors["planned_end_date"]
        if data is not None and not errors:
            service.update_pilot(pilot, data, user)
            flash(gettext("Your changes have been saved."))
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
        lifecycle.register_pilot(pilot, user, utcnow().date())
    except lifecycle.TransitionError as error:
        flash(str(error), "error")
        return redirect(url_for(".show", slug=pilot.slug))
    flash(gettext("Registered. The hypothesis is now frozen and the pilot is public."))
    return redirect(url_for(".show", slug=pilot.slug))
