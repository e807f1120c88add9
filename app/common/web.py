"""Request-wide behaviour: security headers, the signed-in user, template helpers, error pages."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask.wrappers import Response as FlaskResponse
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from app.common.control_characters import control_character_problem, strip_bidi_controls
from app.common.linked_data import script_json
from app.common.markdown import render_markdown
from app.common.money import format_pence
from app.common.text import format_date

ERROR_TITLES = {
    400: _l("There is a problem with your request"),
    403: _l("You do not have permission to do that"),
    404: _l("Page not found"),
    405: _l("That action is not allowed here"),
    413: _l("What you sent is too large"),
    429: _l("Too many requests"),
    500: _l("Sorry, there is a problem with the service"),
    503: _l("Sorry, the service is unavailable"),
}


def absolute_url(endpoint: str, **values: Any) -> str:
    """An address for use outside the site (exports, feeds' links, link previews): on
    SERVER_BASE_URL when it is set, else on the address the request came to."""
    base = current_app.config.get("SERVER_BASE_URL") or ""
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def shared_page_url() -> str:
    """This page's address as a shared link should carry it (Open Graph's og:url)."""
    base = current_app.config.get("SERVER_BASE_URL") or request.host_url
    return base.rstrip("/") + request.full_path.rstrip("?")


View = TypeVar("View", bound=Callable[..., Any])
_FRAMEABLE = "frameable_by_any_site"


def frameable_by_any_site(view: View) -> View:
    """Let any site show this view's page in an `<iframe>`: `frame-ancestors *` and no
    X-Frame-Options. The one exception to "never framed" (which stops clickjacking); it is for
    a council's widget, a read-only page with no form and no signed-in content, and is granted
    by endpoint so that no other page, nor a later one, is framed by accident."""
    setattr(view, _FRAMEABLE, True)
    return view


def _frameable(response: Response) -> bool:
    # Only the page itself: an error from the same address (an unknown council) is not.
    if response.status_code not in (200, 304):
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, _FRAMEABLE, False))


def content_security_policy(nonce: str, frame_ancestors: str = "'none'") -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            f"frame-ancestors {frame_ancestors}",
            "form-action 'self'",
        ]
    )


def _set_security_headers(response: Response) -> Response:
    nonce = g.get("csp_nonce") or secrets.token_urlsafe(16)
    frameable = _frameable(response)
    response.headers["Content-Security-Policy"] = content_security_policy(
        nonce, frame_ancestors="*" if frameable else "'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    if not frameable:
        response.headers["X-Frame-Options"] = "DENY"
    if current_app.config["APP_ENV"] == "production":
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


class PrivateCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, which also keep personal responses out of caches.

    A page for a signed-in person, or shaped by anyone's cookie (a flash, a form token), or that
    sets the cookie, must not be kept by a browser's back-button cache or a shared proxy: it gets
    `Cache-Control: private, no-store`. This is decided here, not in an after_request hook,
    because Flask writes the cookie only after those hooks, and only here can the session be
    looked at without marking it read. Feeds, exports and static files never read the session,
    so they stay cacheable for everyone."""

    def save_session(self, app: Flask, session: SessionMixin, response: FlaskResponse) -> None:
        super().save_session(app, session, response)
        if (
            "Set-Cookie" in response.headers
            or g.get("user") is not None
            or "Authorization" in request.headers
            or (session.accessed and self.get_cookie_name(app) in request.cookies)
        ):
            response.headers["Cache-Control"] = "private, no-store"


# An error responder answers an error its own way (the JSON API's problem+json) or returns None
# to leave it to the HTML error page; higher domains add theirs with add_error_responder.
ErrorResponder = Callable[[int, "str | None", dict[str, str]], "Response | None"]


def add_error_responder(app: Flask, responder: ErrorResponder) -> None:
    app.extensions.setdefault("error_responders", []).append(responder)


def _responded(code: int, message: str | None, headers: dict[str, str]) -> Response | None:
    for responder in current_app.extensions.get("error_responders", ()):
        response = responder(code, message, headers)
        if response is not None:
            return response
    return None


def _plain_text_errors() -> bool:
    """Feeds and exports are read by programs, which show an error's body as text."""
    return request.path.startswith(("/feeds/", "/export/"))


def render_error(code: int, message: str | None = None) -> tuple[str, int]:
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=ERROR_TITLES.get(code, _l("Error")),
            message=message,
        ),
        code,
    )


class RowIdConverter(IntegerConverter):
    """`<id:name>`: a row id that fits the database's integer column, else 404 (never a 500)."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=2**31 - 1)


def compile_templates(app: Flask) -> int:
    """Compile every template now (gunicorn's master calls this before it forks workers).

    Jinja compiles a template on first use: the GOV.UK macros take seconds, and without this each
    worker would pay for them again, on its first readers' requests."""
    names = app.jinja_env.list_templates(extensions=["html"])
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def _retry_after() -> str:
    """Seconds until the breached rate limit's window ends (Flask-Limiter sends no Retry-After
    unless RATELIMIT_HEADERS_ENABLED, which would add its X-RateLimit-* headers to every page);
    a 429 from anywhere else asks for a minute."""
    from app.extensions import limiter

    breached = [limit for limit in limiter.current_limits if limit.breached]
    if breached:
        return str(max(1, max(int(limit.reset_at - time.time()) for limit in breached)))
    return "60"


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = RowIdConverter

    @app.before_request
    def _fresh_request_state() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.before_request
    def _refuse_control_characters() -> Any:
        problem = control_character_problem(request)
        if problem is None:
            strip_bidi_controls(request)
            return None
        if (answered := _responded(400, problem, {})) is not None:
            return answered
        if _plain_text_errors():
            return Response(problem + "\n", 400, mimetype="text/plain")
        return render_error(400, problem)

    app.after_request(_set_security_headers)
    app.session_interface = PrivateCookieSessions()

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        return {"cspNonce": g.get("csp_nonce", ""), "shared_page_url": shared_page_url}

    app.add_template_filter(format_pence, "money")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(script_json, "script_json")
    app.add_template_filter(render_markdown, "markdown")

    @app.template_filter("error_item")
    def _error_item(message: str) -> dict[str, str]:
        return {"text": message}

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            gettext("Your form had expired or was not sent from this site. Go back and try again."),
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        headers = {"Retry-After": _retry_after()} if error.code == 429 else {}
        if (answered := _responded(error.code, error.description, headers)) is not None:
            return answered
        if _plain_text_errors():
            response = error.get_response()
            response.headers.update(headers)
            return response
        page, code = render_error(
            error.code, error.description if error.code in (400, 429) else None
        )
        return page, code, headers

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeoutError)
    def _database_unavailable(error: Exception) -> tuple[str, int, dict[str, str]]:
        # The database is down or unreachable: say so plainly, and let the next request retry.
        app.logger.error("Database unavailable on %s: %s", request.path, error)
        from app.extensions import db

        try:
            db.session.rollback()
        except Exception:  # the connection is already gone; nothing to undo
            app.logger.debug("rollback after a database outage failed", exc_info=True)
        g.user = None  # rendering the page must not ask the database who is signed in
        if (answered := _responded(503, None, {"Retry-After": "30"})) is not None:
            return answered  # type: ignore[return-value]
        page, code = render_error(503)
        return page, code, {"Retry-After": "30"}

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        app.logger.exception("Unhandled error on %s", request.path)
        # A failed statement leaves the session unusable; the error page itself reads it.
        from app.extensions import db

        db.session.rollback()
        if (answered := _responded(500, None, {})) is not None:
            return answered  # type: ignore[return-value]
        return render_error(500)
