"""Feed addresses: resolve the feed, answer 304 from its validators, or send its body."""

from __future__ import annotations

from typing import NoReturn

from flask import Blueprint, abort, current_app, request
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Response

from app.feeds import priorities as priority_feeds
from app.feeds import service
from app.feeds.searches import FeedArgumentError

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
FORMAT = "<any(atom, rss):fmt>"


def _plain_error(code: int, message: str) -> NoReturn:
    # Feed readers show error bodies as text, and a page of HTML would only get in the way.
    abort(Response(message + "\n", code, mimetype="text/plain"))


def _serve(source: service.FeedSource | None, fmt: str) -> Response:
    if source is None:
        _plain_error(404, "There is no such feed.")
    site_root = current_app.config.get("SERVER_BASE_URL") or request.host_url
    feed = service.prepare_feed(source, fmt, site_root)
    response = Response(mimetype=feed.mimetype)
    response.set_etag(feed.etag)
    response.last_modified = feed.last_modified
    response.cache_control.public = True
    response.cache_control.max_age = feed.max_age
    if not is_resource_modified(request.environ, etag=feed.etag, last_modified=feed.last_modified):
        response.status_code = 304
        del response.headers["Content-Type"]
        return response
    response.set_data(feed.body())
    return response


@bp.get(f"/pilots.{FORMAT}")
def pilots(fmt: str) -> Response:
    return _serve(service.all_pilots_feed(), fmt)


@bp.get(f"/councils/<code>.{FORMAT}")
def council(code: str, fmt: str) -> Response:
    return _serve(service.council_feed(code), fmt)


@bp.get(f"/pillars/<slug>.{FORMAT}")
def pillar(slug: str, fmt: str) -> Response:
    return _serve(service.pillar_feed(slug), fmt)


@bp.get(f"/programmes/<slug>.{FORMAT}")
def programme(slug: str, fmt: str) -> Response:
    return _serve(service.programme_feed(slug), fmt)


@bp.get(f"/search.{FORMAT}")
def search(fmt: str) -> Response:
    try:
        source = service.search_feed(request.args.to_dict())
    except FeedArgumentError as error:
        _plain_error(400, str(error))
    return _serve(source, fmt)


@bp.get(f"/events.{FORMAT}")
def events(fmt: str) -> Response:
    return _serve(service.events_feed(), fmt)


@bp.get(f"/pilots/<slug>/events.{FORMAT}")
def pilot_events(slug: str, fmt: str) -> Response:
    return _serve(service.pilot_events_feed(slug), fmt)


@bp.get(f"/priorities.{FORMAT}")
def priorities(fmt: str) -> Response:
    return _serve(priority_feeds.priorities_feed(), fmt)


@bp.get(f"/councils/<code>/priorities.{FORMAT}")
def council_priorities(code: str, fmt: str) -> Response:
    return _serve(priority_feeds.council_priorities_feed(code), fmt)


@bp.get("/<path:unknown>")
def unknown_feed(unknown: str) -> Response:
    _plain_error(404, "There is no such feed.")
