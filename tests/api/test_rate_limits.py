"""The API's rate limits: per address for readers, per token for councils' systems, with
RateLimit-* headers on every answer and a problem+json 429 that says when to try again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.api.tokens import SCOPES, create_token
from app.extensions import db, limiter
from tests.api.conftest import bearer
from tests.auth.conftest import build_app, in_context
from tests.factories import create_council


@pytest.fixture
def limited(app, database_url, tmp_path) -> Iterator[Flask]:
    application = build_app(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED=True,
        API_RATELIMIT_PER_ADDRESS="3 per minute",
        API_RATELIMIT_PER_TOKEN="5 per minute",
    )
    for ctx_app in in_context(application):
        limiter.reset()
        yield ctx_app
    limiter.reset()
    with application.app_context():
        db.engine.dispose()


def test_anonymous_readers_are_limited_per_address_and_told_where_they_stand(limited):
    client = limited.test_client()
    answers = [client.get("/api/v1/pillars") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert answers[0].headers["RateLimit-Limit"] == "3"
    refused = answers[3]
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"].endswith("/rate-limited")
    assert int(refused.headers["Retry-After"]) >= 1
    assert client.get("/pillars").status_code == 200  # the pages are not the API's to limit


def test_a_token_is_limited_wherever_it_is_used_from_and_its_address_still_counts(limited):
    secret = create_token(create_council(), "Case system", list(SCOPES), 30, None).secret
    client = limited.test_client()
    for _ in range(3):
        client.get("/api/v1/pillars")
    assert client.get("/api/v1/pillars", headers=bearer(secret)).status_code == 429
    # From six other addresses: the token's own allowance of five runs out.
    answers = [
        limited.test_client().get(
            "/api/v1/pillars", headers=bearer(secret), environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}
        )
        for n in range(6)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 200, 429]
