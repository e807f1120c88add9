"""Open data downloads: public, never drafts, streamed a record at a time."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, abort, current_app, jsonify, request, stream_with_context

from app.common.web import frameable_by_any_site
from app.councils.models import Council
from app.councils.service import council_by_code
from app.exports import catalogue as catalogue_service
from app.exports import embed as embed_service
from app.exports import service
from app.exports.threesixtygiving import package_chunks
from app.funding.models import Programme

bp = Blueprint("exports", __name__)


def _filters() -> tuple[service.ExportFilters, Programme | None]:
    """The request's filters; a bad one stops the download with a plain-text 400 saying why
    (scripts read these answers, so no HTML page)."""
    try:
        return service.parse_filters(request.args.to_dict())
    except service.FilterError as error:
        abort(Response(f"{error}\n", status=400, mimetype="text/plain"))


def _download(chunks: Iterator[str], mimetype: str, filename: str) -> Response:
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@bp.get("/export/pilots.csv")
def pilots_csv() -> Response:
    filters, _ = _filters()
    prefix = service.pilot_url_prefix()
    rows = (service.pilot_row(p, prefix) for p in service.public_pilots(filters))
    return _download(service.csv_lines(service.PILOT_COLUMNS, rows), "text/csv", "pilots.csv")


@bp.get("/export/awards.csv")
def awards_csv() -> Response:
    filters, programme = _filters()
    rows = (service.award_row(a) for a in service.public_awards(filters, programme))
    return _download(service.csv_lines(service.AWARD_COLUMNS, rows), "text/csv", "awards.csv")


@bp.get("/export/360giving.json")
def threesixtygiving() -> Response:
    filters, programme = _filters()
    chunks = package_chunks(service.public_awards(filters, programme))
    return _download(chunks, "application/json", "360giving.json")


@bp.get("/catalog.jsonld")
def catalogue() -> Response:
    body, etag = catalogue_service.catalogue_body()
    response = Response(body, mimetype="application/ld+json")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.make_conditional(request)
    return response


def _council_or_404(code: str) -> Council:
    found = council_by_code(code) if len(code) <= 10 else None
    if found is None:
        abort(404)
    return found


def _same_for_everyone(template: str, **context: object) -> Response:
    """The template rendered without the request's context (who is signed in): a widget must
    read the same to everyone, and reading the session would make it private to each reader."""
    return Response(current_app.jinja_env.get_template(template).render(**context))


def _public_for(response: Response, seconds: int = 300) -> Response:
    """Cacheable by anyone for a few minutes, and answered with 304 when unchanged: a widget
    is fetched by every reader of the council's own site."""
    response.cache_control.public = True
    response.cache_control.max_age = seconds
    response.add_etag()
    response.make_conditional(request)
    return response


@bp.get("/councils/<code>/embed")
@frameable_by_any_site
def council_embed(code: str) -> Response:
    embed = embed_service.council_embed(_council_or_404(code))
    return _public_for(_same_for_everyone("exports/embed.html", embed=embed))


@bp.get("/councils/<code>/embed.html")
def council_embed_fragment(code: str) -> Response:
    embed = embed_service.council_embed(_council_or_404(code))
    return _public_for(_same_for_everyone("exports/embed-fragment.html", embed=embed))


@bp.get("/councils/<code>/embed.json")
def council_embed_json(code: str) -> Response:
    embed = embed_service.council_embed(_council_or_404(code))
    return _public_for(jsonify(embed_service.embed_document(embed)))
