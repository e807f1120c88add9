"""Residents' priorities across the registry (/priorities) and for one council."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from app.auth import service as auth_service
from app.choosing import consultations, ideas, priorities
from app.common.caching.page_cache import cached_page
from app.councils.service import council_by_code

bp = Blueprint("priorities", __name__)


@bp.get("/priorities")
@cached_page()
def index() -> str:
    tallies = priorities.answer_tallies()
    return render_template(
        "choosing/priorities.html",
        open_consultations=consultations.open_consultations(),
        decided_rounds=priorities.decided_rounds(),
        by_region=priorities.needs_by("region", tallies),
        by_type=priorities.needs_by("type", tallies),
    )


@bp.get("/councils/<code>/priorities")
@cached_page()
def council(code: str) -> str:
    found = council_by_code(code) if len(code) <= 10 else None
    if found is None:
        abort(404)
    user = auth_service.current_user()
    return render_template(
        "choosing/council-priorities.html",
        council=found,
        consultations=consultations.council_consultations(found, user),
        ideas=priorities.published_ideas(found),
        rounds=ideas.council_rounds(found, user),
        may_edit=consultations.can_edit_consultations(user, found.id),
    )
