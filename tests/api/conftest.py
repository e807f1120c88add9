"""The API's tests: a plain test client (the API answers JSON, not pages) and tokens."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.api.tokens import SCOPES, create_token
from tests.factories import create_council, create_user


@pytest.fixture
def api(app_ctx: Flask) -> FlaskClient:
    return app_ctx.test_client()


@pytest.fixture
def make_token(app_ctx: Flask) -> Any:
    """make_token(council, scopes=all, days=30) → the secret, as the council admin's page
    shows it once."""

    def _make(council: Any = None, scopes: list[str] | None = None, days: int = 30) -> str:
        council = council or create_council()
        admin = create_user("council-admin", council)
        return create_token(council, "Case system", scopes or list(SCOPES), days, admin).secret

    return _make


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
