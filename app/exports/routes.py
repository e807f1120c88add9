"""Open data downloads: public, never drafts, streamed a record at a time."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, abort, request, stream_with_context

from app.exports import catalogue as catalogue_service
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
    rows = (service.pilot_row(p) for p in service.public_pilots(filters))
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
