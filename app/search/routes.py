from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from app.common.caching.page_cache import cached_page
from app.common.pagination import page_number
from app.pillars.service import pillars_version
from app.search import service
from app.search.expansion import thesaurus_version
from app.search.query import QueryTooLong

bp = Blueprint("search", __name__)


def _address(params: dict[str, str], **changes: str | int | None) -> str:
    """/search with these parameters, changed as given (None drops one; a new filter resets
    the page)."""
    merged: dict[str, str | int] = {k: v for k, v in params.items() if v}
    merged.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            merged.pop(key, None)
        else:
            merged[key] = value  # type: ignore[assignment]
    return url_for(".search", **merged)  # type: ignore[arg-type]


@bp.get("/search")
@cached_page(service.index_version, pillars_version, thesaurus_version)
def search() -> str:
    args = {k: v for k, v in request.args.items() if isinstance(v, str)}
    try:
        result = service.search_pilots(args, page_number(args.get("page")))
    except (service.SearchInputError, QueryTooLong) as error:
        abort(400, str(error))
    params: dict[str, str] = {"q": result.query, **result.filters}
    if result.sort != "relevance":
        params["sort"] = result.sort
    if result.exact:
        params["exact"] = "1"
    return render_template(
        "search/results.html",
        result=result,
        params=params,
        address=lambda **changes: _address(params, **changes),
        page_url=lambda n: _address(params, page=n),
    )
