"""Search tests run against each backend, each with an index of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app.search import indexing
from tests.conftest import on_postgres

BACKENDS = [
    pytest.param("whoosh", id="whoosh"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres_only),
]


def use_index(app: Flask, backend: str, index_dir: Path) -> None:
    app.config["SEARCH_BACKEND"] = backend
    app.config["SEARCH_INDEX_DIR"] = str(index_dir)
    indexing.reindex()  # an empty index: nothing leaks in from another test


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, app_ctx: Flask, tmp_path: Path) -> Iterator[str]:
    """The backend under test, with a fresh empty index in this test's own directory."""
    saved = dict(app_ctx.config)
    use_index(app_ctx, request.param, tmp_path / "index")
    yield request.param
    indexing.wait_for_rebuild()
    indexing.close_searchers()
    app_ctx.config.update(
        SEARCH_BACKEND=saved["SEARCH_BACKEND"], SEARCH_INDEX_DIR=saved["SEARCH_INDEX_DIR"]
    )


@pytest.fixture
def whoosh(app_ctx: Flask, tmp_path: Path) -> Iterator[Path]:
    """The Whoosh backend alone, for what only an index on disk can go through."""
    saved = dict(app_ctx.config)
    index_dir = tmp_path / "index"
    use_index(app_ctx, "whoosh", index_dir)
    yield index_dir
    indexing.wait_for_rebuild()
    indexing.close_searchers()
    app_ctx.config.update(
        SEARCH_BACKEND=saved["SEARCH_BACKEND"], SEARCH_INDEX_DIR=saved["SEARCH_INDEX_DIR"]
    )


__all__ = ["on_postgres"]
