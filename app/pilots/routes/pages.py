"""Reading about pilots: the filtered listing, one pilot's page and its version history."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from markupsafe import Markup

from app.auth import service as auth_service
from app.common.caching.page_cache import cached_page
from app.common.db_types import utcnow
from app.common.markdown import render_markdown
from app.common.pagination import page_number
from app.councils import service as councils_service
from app.pillars.service import all_pillars, pillar_by_slug, pillars_version
from app.pilots import contributions, history, lifecycle, linked_data, service
from app.pilots.models import STATUSES, VERDICTS
from app.pilots.record import EVIDENCE_LEVELS, pilot_record
from app.pilots.routes import bp, visible_pilot
from app.pilots.updates import can_post_update
from app.search import service as search_service


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


@bp.get("/pilots/<slug>")
@cached_page(search_service.index_version, pillars_version)
def show(slug: str) -> str:
    pilot = visible_pilot(slug)
    user = auth_service.current_user()
    can_edit = auth_service.can_edit_for_council(user, pilot.lead_council_id)
    return render_template(
        "pilots/pilot.html",
        pilot=pilot,
        case_study=render_markdown(pilot.case_study),
        can_edit=can_edit,
        prospective=lifecycle.is_prospective(pilot),
        registration_problems=lifecycle.registration_problems(pilot) if can_edit else [],
        record=pilot_record(pilot, utcnow().date()),
        evidence_levels=EVIDENCE_LEVELS,
        can_post_update=can_post_update(user, pilot),
        is_admin=auth_service.is_admin(user),
        linked_data=linked_data.pilot_linked_data(pilot),
        page_description=linked_data.short_description(pilot),
        sidebar=[
            Markup(render_template(template, pilot=pilot, **context))  # noqa: S704 (autoescaped)
            for template, context in contributions.page_sections(pilot, "sidebar")
        ],
    )


@bp.get("/pilots/<slug>/history")
def history_page(slug: str) -> str:
    pilot = visible_pilot(slug)
    versions = list(reversed(history.versions_of(pilot)))
    return render_template(
        "pilots/history.html",
        pilot=pilot,
        versions=[(v, history.describe_diff(v.diff)) for v in versions],
    )
