from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template
from werkzeug.wrappers import Response

from app.common.caching.page_cache import cached_page
from app.content.health import health_report
from app.content.pages import content_page
from app.pillars.service import all_pillars, pillars_version
from app.pilots import service as pilots_service

bp = Blueprint("content", __name__)


@bp.get("/")
@cached_page(pillars_version)
def home() -> str:
    by_status, by_verdict = pilots_service.public_counts()
    return render_template(
        "content/home.html",
        recent=pilots_service.recent_public_pilots(),
        by_status=by_status,
        by_verdict=by_verdict,
        pillars=all_pillars(),
    )


@bp.get("/about")
@bp.get("/guidance")
@bp.get("/accessibility")
def page() -> str:
    from flask import request

    found = content_page(request.path.strip("/"))
    if found is None:
        abort(404)
    return render_template("content/page.html", page=found)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    report, serving = health_report()
    return jsonify(report), 200 if serving else 503
