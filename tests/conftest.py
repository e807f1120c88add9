"""Test set-up: a real database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), migrated
once per run with the real migrations, and emptied after every test."""

from __future__ import annotations

import contextlib
import gc
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ["APP_ENV"] = "test"

from app import create_app
from app.extensions import db
from app.search import indexing
from tests.checked_client import CheckedClient

FIXTURES = Path(__file__).parent / "fixtures"


def on_postgres() -> bool:
    return bool(os.environ.get("TEST_DATABASE_URL"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_pg = pytest.mark.skip(reason="runs only on PostgreSQL (set TEST_DATABASE_URL)")
    skip_sqlite = pytest.mark.skip(reason="runs only on SQLite")
    for item in items:
        if "postgres_only" in item.keywords and not on_postgres():
            item.add_marker(skip_pg)
        if "sqlite_only" in item.keywords and on_postgres():
            item.add_marker(skip_sqlite)


# Test packages whose modules share a package-scoped fixture (the browser tests' served demo and
# Chromium): kept on one xdist worker, one after another, so it is made once. Under plain
# `--dist loadscope` each module is a unit of its own, and each time a worker came back to the
# package from another module the demo was loaded and served again.
ONE_WORKER_PACKAGES = ("tests/browser/",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadscope`, with each package of ONE_WORKER_PACKAGES as one unit of work."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PackageScopes(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            package = next((p for p in ONE_WORKER_PACKAGES if nodeid.startswith(p)), None)
            return package or super()._split_scope(nodeid)

    return PackageScopes(config, log)


@pytest.fixture(scope="module", autouse=True)
def _collect_what_the_module_left() -> Iterator[None]:
    """Collect garbage as each module ends, so a connection or file a module left open warns
    (and fails) in that module, not in whichever test the collector happens to run in later."""
    yield
    gc.collect()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty database for this test run."""
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    with fresh_postgres_database(admin_url, "pg_test") as url:
        yield url


@contextlib.contextmanager
def fresh_postgres_database(admin_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server `admin_url` names; dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def postgres_or_skip(prefix: str, what: str) -> Iterator[str]:
    """A fresh database on TEST_DATABASE_URL's server for `what`; skipped without one."""
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        pytest.skip(f"{what} runs on PostgreSQL (set TEST_DATABASE_URL)")
    with fresh_postgres_database(admin_url, prefix) as url:
        yield url


def app_overrides(database_url: str, tmp: Path) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SEARCH_INDEX_DIR": str(tmp / "search_index"),
        "INSTANCE_DIR": str(tmp / "instance"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
    }


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for the run, with the schema built by the real migrations."""
    from flask_migrate import upgrade

    application = create_app(app_overrides(database_url, tmp_path_factory.mktemp("app")))
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


def _empty_search_index(app: Flask) -> None:
    """Row ids restart once tables are emptied, so an index left behind would name other pilots."""
    index_dir = Path(app.config["SEARCH_INDEX_DIR"])
    if app.config["SEARCH_BACKEND"] != "whoosh" or not index_dir.exists():
        return
    indexing.wait_for_rebuild()
    stamp = _index_stamp(index_dir)
    if stamp != getattr(app, "_clean_index_stamp", None):  # only when a test wrote to it
        indexing.reindex()
        indexing.close_searchers()
        app._clean_index_stamp = _index_stamp(index_dir)  # type: ignore[attr-defined]


def _index_stamp(index_dir: Path) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in index_dir.rglob("*")))


def empty_database() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def reset_database(app: Flask) -> None:
    """Every table emptied and the search index with it, inside `app`'s context."""
    db.session.rollback()
    empty_database()
    _empty_search_index(app)
    db.session.remove()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An app context for one test; every table is emptied afterwards."""
    with app.app_context():
        yield app
        reset_database(app)


@contextlib.contextmanager
def index_in(app: Flask, backend: str, index_dir: Path) -> Iterator[None]:
    """Search on `backend` with a fresh, empty index of its own in `index_dir` (so nothing leaks
    in from another test); the app's own settings come back afterwards."""
    saved = app.config["SEARCH_BACKEND"], app.config["SEARCH_INDEX_DIR"]
    app.config.update(SEARCH_BACKEND=backend, SEARCH_INDEX_DIR=str(index_dir))
    indexing.reindex()
    try:
        yield
    finally:
        indexing.wait_for_rebuild()
        indexing.close_searchers()
        app.config.update(SEARCH_BACKEND=saved[0], SEARCH_INDEX_DIR=saved[1])


@pytest.fixture
def whoosh(app_ctx: Flask, tmp_path: Path) -> Iterator[Path]:
    """The Whoosh backend alone, for what only an index on disk can go through."""
    with index_in(app_ctx, "whoosh", tmp_path / "index"):
        yield tmp_path / "index"


@pytest.fixture
def client(app_ctx: Flask) -> CheckedClient:
    app_ctx.test_client_class = CheckedClient
    return app_ctx.test_client()  # type: ignore[return-value]


@pytest.fixture
def sign_in(client: CheckedClient) -> Any:
    """sign_in(user): the test client's session belongs to that user from now on."""

    def _sign_in(user: Any) -> None:
        from app.auth.sessions import SESSION_KEY, issue_session_token

        token = issue_session_token(user)  # a real server-side session, as a sign-in makes
        with client.session_transaction() as session:
            session.clear()
            session[SESSION_KEY] = token

    return _sign_in
