"""Search tests run against each backend, each with an index of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import index_in, on_postgres

BACKENDS = [
    pytest.param("whoosh", id="whoosh"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres_only),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, app_ctx: Flask, tmp_path: Path) -> Iterator[str]:
    """The backend under test, with a fresh empty index in this test's own directory."""
    with index_in(app_ctx, request.param, tmp_path / "index"):
        yield request.param


__all__ = ["on_postgres"]
