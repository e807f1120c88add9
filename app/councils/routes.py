from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from app.common.caching.page_cache import cached_page
from app.common.db_types import utcnow
from app.common.pagination import page_number
from app.councils import service
from app.maps.partners import partner_map
from app.pillars.service import pillars_version
from app.pilots import overdue, report_queries
from app.pilots import service as pilots_service

bp = Blueprint("councils", __name__)


@bp.get("/councils")
@cached_page()
def directory() -> str:
    nation = request.args.get("nation", "")
    la_type = request.args.get("type", "")
    nations, types = service.nations_and_types()
    if nation and nation not in nations:
        abort(400, f"There is no nation called {nation!r}. Choose one from the list.")
    if la_type and la_type not in {code for code, _ in types}:
        abort(400, f"There is no council type {la_type!r}. Choose one from the list.")
    sort = request.args.get("sort", "")
    if sort not in ("", "name", "reporting"):
        abort(400, f"There is no sort order {sort!r}. Sort by name or reporting.")
    today = utcnow().date()
    if sort == "reporting":  # every council's record decides the order
        records = report_queries.reporting_records(today)
        page = overdue.council_directory_by_reporting(
            records, nation or None, la_type or None, page_number(request.args.get("page"))
        )
    else:  # only the councils on this page need theirs
        page = pilots_service.council_directory(
            nation=nation or None,
            la_type=la_type or None,
            page=page_number(request.args.get("page")),
        )
        records = report_queries.reporting_records(today, [c.id for c, _ in page.items])
    return render_template(
        "councils/directory.html",
        page=page,
        nations=nations,
        types=types,
        nation=nation,
        la_type=la_type,
        sort=sort,
        records=records,
        page_url=lambda n: url_for(
            ".directory", nation=nation or None, type=la_type or None, sort=sort or None, page=n
        ),
    )


@bp.get("/councils/<code>")
@cached_page(pillars_version)
def council(code: str) -> str:
    found = service.council_by_code(code) if len(code) <= 10 else None
    if found is None:
        abort(404)
    page = pilots_service.pilots_for_council(found, page=page_number(request.args.get("page")))
    return render_template(
        "councils/council.html",
        council=found,
        page=page,
        reporting=report_queries.reporting_record(found, utcnow().date()),
        partner_map=partner_map(found),
        page_url=lambda n: url_for(".council", code=found.slug, page=n),
    )
