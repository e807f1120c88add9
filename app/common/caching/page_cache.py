"""Rendered public pages, kept per process and served again to anonymous readers until anything
they could show changes.

A page is stored under its full URL together with a validity stamp: the site's content generation
(`generation`, changed inside every writing transaction, in the database every worker reads),
today's date (overdue reports count days), and whatever a page's own sources add (the search
index's version for "similar pilots", the pillar content files). The stamp is read before
the page's own queries, so a stored page is never older than the stamp it is filed under; the
first request after any change renders afresh.

Only anonymous requests take part: a request carrying the session cookie (signed in, or with a
flash message or a CSRF token waiting) is always rendered for itself and never stored, and a
response that sets a cookie, touched the session or is not a plain 200 HTML page is never
stored. The CSP nonce is per request: it is taken out when a page is stored and the request's
own nonce put back when it is served.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar, cast

from flask import Flask, current_app, g, make_response, request, session
from werkzeug.wrappers import Response

from app.common.caching import generation
from app.common.caching.rendered_cache import app_cache
from app.common.db_types import utcnow

P = ParamSpec("P")
R = TypeVar("R")
Stamp = Callable[[], str]
NONCE_MARK = b"\x00csp-nonce\x00"
CACHE_NAME = "page_cache"
MAX_PAGES = 1024


def init_app(app: Flask) -> None:
    app.config.setdefault("PAGE_CACHE_ENABLED", True)
    app.config.setdefault("PAGE_CACHE_LISTEN", True)  # PostgreSQL: generation by LISTEN/NOTIFY
    generation.install()


def _anonymous_request() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and current_app.config["PAGE_CACHE_ENABLED"]
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
        and "Authorization" not in request.headers
    )


def _stamp(sources: tuple[Stamp, ...]) -> str | None:
    token = generation.current_generation()
    if token is None:
        return None
    return "|".join([token, utcnow().date().isoformat(), *(source() for source in sources)])


def _storable(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and not response.cache_control.no_store
        and not response.cache_control.private
        and not session.modified
        and not session  # nothing of this request's own (a CSRF token, a flash) in the page
        and bool(g.get("csp_nonce"))
    )


def _store(key: str, stamp: str, response: Response) -> None:
    body = response.get_data()
    if NONCE_MARK in body:  # never, unless a page quotes the mark; such a page is not stored
        return
    template = body.replace(g.csp_nonce.encode(), NONCE_MARK)
    app_cache(CACHE_NAME, MAX_PAGES).put(key, stamp, template)


def _served(template: bytes) -> Response:
    response = Response(template.replace(NONCE_MARK, g.csp_nonce.encode()), mimetype="text/html")
    # As the rendered page would: its chrome depends on who is signed in.
    response.vary.add("Cookie")
    return response


def cached_page(*sources: Stamp) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """Serve the view's page from the cache to anonymous readers while it is valid.

    `sources` add to the stamp for what the page shows beyond the database and today's date;
    each returns a short string that changes when its content does."""

    def decorate(view: Callable[P, R]) -> Callable[P, R | Response]:
        @wraps(view)
        def cached_view(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            if not _anonymous_request():
                return view(*args, **kwargs)
            stamp = _stamp(sources)
            if stamp is None:
                return view(*args, **kwargs)
            key = request.url
            template = app_cache(CACHE_NAME, MAX_PAGES).get(key, stamp)
            if template is not None:
                return _served(template)
            response = make_response(view(*args, **kwargs))
            if _storable(response):
                _store(key, stamp, response)
            return response

        return cast(Callable[P, R | Response], cached_view)

    return decorate


def cached_pages() -> int:
    """How many pages this process holds (for tests and /healthz-style checks)."""
    return len(app_cache(CACHE_NAME, MAX_PAGES))


def clear_pages() -> None:
    """Forget every stored page in this process."""
    app_cache(CACHE_NAME, MAX_PAGES).clear()
