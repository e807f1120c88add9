"""Rate limits on sign-in and on form posts, per user and per address, answered with a 429 page."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from app.auth.rate_limits import check_limit_storage
from app.auth.sessions import SESSION_KEY, issue_session_token
from app.extensions import db, limiter
from tests.auth.conftest import build_app, in_context
from tests.checked_client import CheckedClient
from tests.factories import create_council, create_user


@pytest.fixture
def limited_app(app, database_url, fake_idp, tmp_path) -> Iterator[Flask]:
    provider = {"issuer": fake_idp.issuer, "client_id": "pg-client", "client_secret": "s3cret"}
    application = build_app(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_SIGN_IN="3 per minute",
        RATELIMIT_FORM_POSTS_PER_USER="2 per minute",
        RATELIMIT_FORM_POSTS_PER_ADDRESS="3 per minute",
        AUTH_PROVIDERS={"fake": {**provider, "label": "Fake", "private_key_file": ""}},
    )
    application.test_client_class = CheckedClient
    for ctx_app in in_context(application):
        limiter.reset()
        yield ctx_app
    limiter.reset()
    with application.app_context():
        db.engine.dispose()


def as_user(application: Flask, user) -> CheckedClient:
    client = application.test_client()
    with client.session_transaction() as session:
        session[SESSION_KEY] = issue_session_token(user)
    return client  # type: ignore[return-value]


def test_sign_in_is_limited_per_address(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        assert client.get("/auth/sign-in/fake").status_code == 302
    response = client.get("/auth/sign-in/fake")
    assert response.status_code == 429
    assert "tried to sign in too many times" in response.get_data(as_text=True)
    # The limit covers the callback too, and another address is not affected.
    assert client.get("/auth/callback/fake?code=x&state=y").status_code == 429
    elsewhere = limited_app.test_client()
    response = elsewhere.get("/auth/sign-in/fake", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 302


def test_form_posts_are_limited_per_user_then_per_address(limited_app):
    council = create_council(code="AAA")
    first = as_user(limited_app, create_user("editor", council))
    second = as_user(limited_app, create_user("editor", council))
    for _ in range(2):
        assert first.post("/pilots/new", data={}).status_code == 400
    response = first.post("/pilots/new", data={})
    assert response.status_code == 429
    assert "sent too many forms" in response.get_data(as_text=True)
    assert first.get("/pilots/new").status_code == 200  # reading is not limited
    # Another user at the same address has their own allowance, until the address's runs out.
    assert second.post("/pilots/new", data={}).status_code == 400
    assert second.post("/pilots/new", data={}).status_code == 429


def test_limits_are_off_where_the_setting_says_so(limited_app, client, sign_in):
    # The limiter is shared by every app in the process; this app's RATELIMIT_ENABLED=False rules.
    council = create_council(code="AAA")
    sign_in(create_user("editor", council))
    for _ in range(35):  # more than the default 30 a minute
        assert client.post("/pilots/new", data={}).status_code == 400


def test_behind_a_trusted_proxy_each_person_has_their_own_allowance(
    limited_app, database_url, tmp_path
):
    proxied = build_app(
        database_url,
        tmp_path / "proxied",
        RATELIMIT_ENABLED=True,
        RATELIMIT_SIGN_IN="1 per minute",
        TRUSTED_PROXY_HOPS=1,
        AUTH_PROVIDERS=limited_app.config["AUTH_PROVIDERS"],
    )
    client = proxied.test_client()
    alice = {"X-Forwarded-For": "198.51.100.1"}
    bob = {"X-Forwarded-For": "198.51.100.2"}
    with proxied.app_context():
        assert client.get("/auth/sign-in/fake", headers=alice).status_code == 302
        assert client.get("/auth/sign-in/fake", headers=alice).status_code == 429
        assert client.get("/auth/sign-in/fake", headers=bob).status_code == 302
        db.engine.dispose()


def test_every_429_says_when_to_try_again(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        client.get("/auth/sign-in/fake")
    refused = client.get("/auth/sign-in/fake")
    user = as_user(limited_app, create_user("editor", create_council(code="AAA")))
    for _ in range(2):
        user.post("/pilots/new", data={})
    refused_post = user.post("/pilots/new", data={})
    for response in (refused, refused_post):
        assert response.status_code == 429
        assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_the_development_sign_in_is_limited_like_the_real_one(limited_app, database_url, tmp_path):
    development = build_app(
        database_url,
        tmp_path / "development",
        APP_ENV="development",
        RATELIMIT_ENABLED=True,
        RATELIMIT_SIGN_IN="3 per minute",
        RATELIMIT_FORM_POSTS_PER_USER="100 per minute",
        RATELIMIT_FORM_POSTS_PER_ADDRESS="100 per minute",
    )
    client = development.test_client()
    with development.app_context():
        for _ in range(3):
            assert client.post("/auth/dev", data={"user_id": "999999"}).status_code == 200
        refused = client.post("/auth/dev", data={"user_id": "999999"})
        assert refused.status_code == 429
        assert "tried to sign in too many times" in refused.get_data(as_text=True)
        assert int(refused.headers["Retry-After"]) >= 1
        assert client.get("/auth/dev").status_code == 200  # seeing the list is not an attempt
        # The real sign-in shares the allowance.
        assert client.get("/auth/sign-in/fake").status_code == 429
        # The requests shared this app context, and so its session: give its connection back
        # before the pool is closed, or it is left open for the garbage collector.
        db.session.remove()
        db.engine.dispose()


def test_counts_kept_per_worker_stop_production_and_are_warned_of_elsewhere(app, caplog):
    log = logging.getLogger("test.gunicorn")
    settings = {"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": True}
    production = Flask("production")
    production.config.update(settings, APP_ENV="production")
    with pytest.raises(SystemExit):
        check_limit_storage(production, 2, log)
    check_limit_storage(production, 1, log)  # one worker counts everything
    production.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379"
    check_limit_storage(production, 4, log)
    development = Flask("development")
    development.config.update(settings, APP_ENV="development")
    with caplog.at_level(logging.WARNING, "test.gunicorn"):
        check_limit_storage(development, 2, log)
    assert "each worker counts alone" in caplog.text


def test_an_unreachable_limit_store_limits_in_memory_rather_than_failing(
    app, database_url, tmp_path
):
    application = build_app(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1",  # nothing listens there
        RATELIMIT_FORM_POSTS_PER_USER="2 per minute",
    )
    application.test_client_class = CheckedClient
    try:
        for ctx_app in in_context(application):
            editor = as_user(ctx_app, create_user("editor", create_council(code="AAA")))
            assert editor.post("/pilots/new", data={}).status_code == 400
            assert editor.post("/pilots/new", data={}).status_code == 400
            assert editor.post("/pilots/new", data={}).status_code == 429
    finally:
        with application.app_context():
            db.engine.dispose()
