"""Apps with sign-in providers configured, the providers they talk to, and a real server thread."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.auth.fake_idp import FakeProvider
from tests.checked_client import CheckedClient
from tests.conftest import app_overrides, empty_database

PROVIDER_SCRIPT = Path(__file__).resolve().parent.parent / "oidc" / "provider.mjs"
PROJECT_ROOT = PROVIDER_SCRIPT.parent.parent.parent


def build_app(database_url: str, tmp: Path, **overrides: Any) -> Flask:
    """Another app on the run's (already migrated) database, with some settings changed."""
    return create_app({**app_overrides(database_url, tmp), **overrides})


def in_context(application: Flask) -> Iterator[Flask]:
    with application.app_context():
        yield application
        db.session.rollback()
        empty_database()
        db.session.remove()


@pytest.fixture(scope="session")
def fake_idp() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture(scope="session")
def fake_app(
    app: Flask, database_url: str, fake_idp: FakeProvider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    provider = {"issuer": fake_idp.issuer, "client_id": "pg-client", "client_secret": "s3cret"}
    application = build_app(
        database_url,
        tmp_path_factory.mktemp("fake-app"),
        AUTH_PROVIDERS={"fake": {**provider, "label": "Fake", "private_key_file": ""}},
    )
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def fake_client(fake_app: Flask) -> Iterator[CheckedClient]:
    for application in in_context(fake_app):
        application.test_client_class = CheckedClient
        yield application.test_client()  # type: ignore[misc]


class NodeProvider:
    """oidc-provider (npm) in a node subprocess on 127.0.0.1 and a free port."""

    def __init__(self, redirect_uris: list[str], pkjwt_jwks: dict[str, Any] | None = None) -> None:
        node = shutil.which("node")
        assert node, "node is needed for the OpenID Connect provider used by the tests"
        env = {
            **os.environ,
            "REDIRECT_URIS": ",".join(redirect_uris),
            "CLIENT_ID": "proving-ground",
            "CLIENT_SECRET": "provider-test-secret",
        }
        if pkjwt_jwks:
            env.update(PKJWT_CLIENT_ID="proving-ground-pkjwt", PKJWT_JWKS=json.dumps(pkjwt_jwks))
        self.process = subprocess.Popen(
            [node, str(PROVIDER_SCRIPT)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the OpenID Connect provider did not start (run `npm ci`)"
        self.issuer: str = json.loads(line)["issuer"]

    def stop(self) -> None:
        assert self.process.stdout is not None
        self.process.stdout.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Served:
    """The app served by a real HTTP server thread, with real providers to sign in with."""

    def __init__(self, application: Flask, base_url: str, private_key_file: str) -> None:
        self.app = application
        self.base_url = base_url
        self.private_key_file = private_key_file


@pytest.fixture(scope="session")
def served(
    app: Flask, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("served")
    application = build_app(database_url, tmp, WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    application.config["SERVER_BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    client_key = RSAKey.generate_key(2048, parameters={"kid": "pg-client-key"})
    key_file = tmp / "client-key.pem"
    key_file.write_bytes(client_key.as_pem(private=True))
    callbacks = [f"{base_url}/auth/callback/{n}" for n in ("council", "second", "onelogin")]
    first = NodeProvider(callbacks, pkjwt_jwks={"keys": [client_key.as_dict(private=False)]})
    second = NodeProvider(callbacks)
    secret = {"client_id": "proving-ground", "client_secret": "provider-test-secret"}
    application.config["AUTH_PROVIDERS"] = {
        "council": {"issuer": first.issuer, **secret, "label": "Council", "private_key_file": ""},
        "second": {"issuer": second.issuer, **secret, "label": "Second", "private_key_file": ""},
        "onelogin": {
            "issuer": first.issuer,
            "client_id": "proving-ground-pkjwt",
            "client_secret": "",
            "label": "One Login",
            "private_key_file": str(key_file),
        },
    }
    try:
        yield Served(application, base_url, str(key_file))
    finally:
        first.stop()
        second.stop()
        server.shutdown()
        thread.join(timeout=10)
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def served_ctx(served: Served) -> Iterator[Served]:
    """The served app, with every table emptied after the test."""
    for _ in in_context(served.app):
        yield served
