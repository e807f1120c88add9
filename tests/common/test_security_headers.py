"""Every response carries the same security headers, exactly; the GOV.UK inline script carries the
nonce; bodies over MAX_CONTENT_LENGTH are refused with 413."""

from __future__ import annotations

import re

import pytest
from flask import abort
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.pilots.models import Pilot
from tests.conftest import app_overrides
from tests.factories import create_council, create_user

NONCE = re.compile(r"^[A-Za-z0-9_-]{16,}$")
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self' 'nonce-{nonce}'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce(response) -> str:
    """Check the CSP is exactly ours, and return its nonce."""
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    nonce = re.fullmatch(r"'self' 'nonce-([^']+)'", directives["script-src"])
    assert nonce, policy
    assert NONCE.match(nonce.group(1))
    assert directives == {k: v.format(nonce=nonce.group(1)) for k, v in EXPECTED_CSP.items()}
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    return nonce.group(1)


def assert_security_headers(response, production: bool = False) -> None:
    csp_nonce(response)
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name
    if production:
        assert response.headers.get("Strict-Transport-Security") == HSTS
    else:
        assert "Strict-Transport-Security" not in response.headers


def _kinds_of_response(client, sign_in):
    editor = create_user("editor", create_council(code="AAA"))
    yield "html", client.get("/"), 200
    yield "json", client.get("/healthz"), 200
    yield "static", client.get("/static/images/favicon.svg"), 200
    yield "redirect", client.get("/pilots/new"), 302
    yield "not found", client.get("/no-such-page"), 404
    yield "bad request", client.get("/pilots?pillar=nope"), 400
    yield "method not allowed", client.get("/auth/sign-out"), 405
    sign_in(editor)
    too_large = "x" * client.application.config["MAX_CONTENT_LENGTH"]
    yield "too large", client.post("/pilots/new", data={"title": too_large}), 413


def test_every_kind_of_response_has_the_headers(client, sign_in):
    for kind, response, status in _kinds_of_response(client, sign_in):
        response.close()  # a static file's response holds the file open
        assert response.status_code == status, kind
        assert_security_headers(response)


@pytest.fixture
def production_app(database_url, tmp_path):
    app = create_app({**app_overrides(database_url, tmp_path), "APP_ENV": "production"})

    @app.get("/test-only/forbidden")
    def _forbidden() -> str:
        abort(403)

    @app.get("/test-only/boom")
    def _boom() -> str:
        raise RuntimeError("a bug")

    yield app
    with app.app_context():
        db.engine.dispose()  # its own pool: close it, or psycopg warns when it is collected


def test_production_adds_hsts_everywhere(production_app, app_ctx):
    client = production_app.test_client()
    for path, status in (
        ("/", 200),
        ("/healthz", 200),
        ("/static/images/favicon.svg", 200),
        ("/pilots/new", 302),
        ("/no-such-page", 404),
        ("/test-only/forbidden", 403),
        ("/test-only/boom", 500),
    ):
        response = client.get(path)
        response.close()
        assert response.status_code == status, path
        assert_security_headers(response, production=True)


def test_every_script_has_the_nonce_or_comes_from_this_site(client):
    response = client.get("/")
    nonce = csp_nonce(response)
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script\b([^>]*)>", html)
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline, "the GOV.UK template's inline script is missing"
    for attrs in inline:
        assert f'nonce="{nonce}"' in attrs
    for attrs in scripts:
        if "src=" in attrs:
            assert re.search(r'src="/static/', attrs), attrs
    assert csp_nonce(client.get("/")) != nonce, "a nonce must never be reused"


def test_a_body_over_the_limit_is_refused_and_nothing_saved(client, sign_in):
    council = create_council(code="AAA")
    sign_in(create_user("editor", council))
    before = db.session.scalar(select(func.count(Pilot.id)))
    response = client.post(
        "/pilots/new",
        data={
            "title": "A pilot",
            "lead_council": "AAA",
            "summary": "s",
            "hypothesis": "h",
            "pillars": "inclusion",
            "case_study": "x" * (client.application.config["MAX_CONTENT_LENGTH"] + 1),
        },
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "What you sent is too large" in page
    assert "was not saved" in page  # and says what to do about it
    assert db.session.scalar(select(func.count(Pilot.id))) == before
    small = client.post("/pilots/new", data={"title": "x" * 100})
    assert small.status_code == 400  # a normal-sized bad form is a validation error, not 413
