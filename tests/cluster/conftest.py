"""Two gunicorn servers behind nginx (bench/cluster.py), sharing a fresh PostgreSQL database and
Redis: one cluster per module. The tests write their fixtures' rows into that database through
an app of their own (`cluster_app`), and everything else through the servers' addresses."""

from __future__ import annotations

import itertools
import random
import string
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from flask import Flask

from app import create_app
from app.auth.service import DEV_ISSUER
from app.extensions import db
from bench.cluster import NGINX, Cluster
from tests.conftest import app_overrides, postgres_or_skip
from tests.deploy.conftest import redis_url  # noqa: F401 (a fixture)
from tests.faults.gunicorn_server import signed_in_session

# Sign-ins are limited per address (10 a minute), form posts lifted out of the way of the load.
CLUSTER_ENV = {
    "RATELIMIT_SIGN_IN": "10 per minute",
    "RATELIMIT_FORM_POSTS_PER_USER": "100000 per minute",
    "RATELIMIT_FORM_POSTS_PER_ADDRESS": "100000 per minute",
}
_addresses = itertools.count(1)


@pytest.fixture(scope="module")
def cluster_database() -> Iterator[str]:
    with postgres_or_skip("pg_cluster", "the cluster (one database for both servers)") as url:
        yield url


@pytest.fixture(scope="module")
def cluster(
    cluster_database: str,
    redis_url: str,  # noqa: F811 (the fixture imported above)
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cluster]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (make test-deps installs it from Debian)")
    folder = tmp_path_factory.mktemp("cluster")
    with Cluster(
        2, 2, database_url=cluster_database, redis_url=redis_url, env=CLUSTER_ENV, folder=folder
    ) as running:
        yield running


@pytest.fixture(scope="module")
def cluster_app(
    cluster: Cluster, cluster_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """An app on the cluster's database, with its context pushed, for factories and checks."""
    application = create_app(app_overrides(cluster_database, tmp_path_factory.mktemp("app")))
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _no_transaction_left_open(cluster_app: Flask) -> Iterator[None]:
    """End the test's own transaction after each test: one left open holds locks that a
    migration waits for, and every reader of the table then queues behind the migration."""
    yield
    db.session.rollback()


def another_address() -> dict[str, str]:
    """An X-Forwarded-For naming an address no other request in the run uses: what nginx would
    send for another person (the servers trust one proxy's word, TRUSTED_PROXY_HOPS=1)."""
    return {"X-Forwarded-For": f"198.51.100.{next(_addresses) % 250 + 1}"}


def sign_in(url: str, user_id: int) -> requests.Session:
    """A session signed in (as a person of their own address) at `url`."""
    return signed_in_session(url, user_id, headers=another_address())


def unique_word() -> str:
    """A made-up word no pilot has: what a search for it finds is the pilot that has it."""
    return "".join(random.choices(string.ascii_lowercase, k=12))


def an_editor(council_code: str) -> int:
    """A council editor the development sign-in offers; returns the user's id."""
    from tests.factories import create_council, create_user

    council = create_council(code=council_code)
    return create_user("editor", council, issuer=DEV_ISSUER, subject=uuid.uuid4().hex).id


class Traffic:
    """Threads that send requests until stopped, each outcome recorded."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.failures: list[str] = []
        self.successes = 0
        self._lock = threading.Lock()

    def add(self, send: Callable[[], str | None]) -> None:
        """`send` makes one request and returns None if it went right, else what went wrong."""

        def loop() -> None:
            while not self.stop.is_set():
                try:
                    problem = send()
                except requests.RequestException as error:
                    problem = f"{type(error).__name__}: {error}"
                with self._lock:
                    if problem:
                        self.failures.append(problem)
                    else:
                        self.successes += 1

        self.threads.append(threading.Thread(target=loop, daemon=True))

    def __enter__(self) -> Traffic:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)
