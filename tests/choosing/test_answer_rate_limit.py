"""Online answers are limited per address on top of every form's limits: each new browser session
may answer once, so without it a script could stuff the count by dropping its cookie."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.extensions import db, limiter
from tests.auth.conftest import build_app, in_context
from tests.factories import create_consultation


@pytest.fixture
def limited_app(app, database_url, tmp_path) -> Iterator[Flask]:
    application = build_app(
        database_url, tmp_path, RATELIMIT_ENABLED=True,
        RATELIMIT_CONSULTATION_ANSWERS="2 per hour",
    )  # fmt: skip
    for ctx_app in in_context(application):
        limiter.reset()
        yield ctx_app
    limiter.reset()
    with application.app_context():
        db.engine.dispose()


def test_answers_are_limited_per_address(limited_app):
    consultation = create_consultation()
    path = f"/consultations/{consultation.id}/answer"
    data = {"choices": consultation.options[0].id}

    for _ in range(2):  # two browsers behind one address
        assert limited_app.test_client().post(path, data=data).status_code == 302
    refused = limited_app.test_client().post(path, data=data)
    elsewhere = limited_app.test_client().post(
        path, data=data, environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )

    assert refused.status_code == 429
    assert "Too many answers have come from your connection" in refused.get_data(as_text=True)
    assert elsewhere.status_code == 302
