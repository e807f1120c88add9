from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from app.common.caching.page_cache import cached_page
from app.common.markdown import render_markdown
from app.common.pagination import page_number
from app.pillars.service import all_pillars, pillar_by_slug, pillars_version
from app.pilots import service as pilots_service

bp = Blueprint("pillars", __name__)


@bp.get("/pillars")
@cached_page(pillars_version)
def index() -> str:
    counts = pilots_service.public_counts_by_pillar()
    return render_template("pillars/index.html", pillars=all_pillars(), counts=counts)


@bp.get("/pillars/<slug>")
@cached_page(pillars_version)
def pillar(slug: str) -> str:
    found = pillar_by_slug(slug)
    if found is None:
        abort(404)
    page = pilots_service.list_public_pilots(
        pilots_service.PilotFilters(pillar=slug), page=page_number(request.args.get("page"))
    )
    return render_template(
        "pillars/pillar.html",
        pillar=found,
        guidance=render_markdown(found.guidance),
        page=page,
        page_url=lambda n: url_for(".pillar", slug=slug, page=n),
    )
