"""Stop PostgreSQL under a running app: pages answer a clear 503, and recover when it is back.

The server stopped is a throwaway cluster this test makes on a spare port, never the machine's own.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from tests.conftest import app_overrides
from tests.factories import create_pilot

pytestmark = pytest.mark.postgres_only


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    def __init__(self, directory: Path, port: int) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins or shutil.which("runuser") is None or os.geteuid() != 0:
            pytest.skip("needs PostgreSQL's server binaries and root to run them as postgres")
        self.bin = Path(bins[-1])
        self.data = directory / "data"
        self.log = directory / "log"
        self.port = port
        shutil.chown(directory, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust")

    def start(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                  "-o", options, "start")  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    # Not under pytest's tmp_path: that is private to root, and the server runs as postgres.
    directory = Path(tempfile.mkdtemp(prefix="pg-outage-"))
    server = Cluster(directory, _free_port())
    server.init()
    server.start()
    yield server
    subprocess.run(
        ["runuser", "-u", "postgres", "--", str(server.bin / "pg_ctl"), "-D", str(server.data),
         "-m", "immediate", "stop"], capture_output=True, check=False,
    )  # fmt: skip
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def outage_app(cluster: Cluster, tmp_path: Path) -> Iterator[Flask]:
    from flask_migrate import upgrade

    url = f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres"
    app = create_app(app_overrides(url, tmp_path))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_pages_answer_503_while_the_database_is_down_and_recover(outage_app, cluster):
    with outage_app.app_context():
        slug = create_pilot(title="Still here after the outage").slug
        db.session.remove()
    client = outage_app.test_client()
    assert client.get(f"/pilots/{slug}").status_code == 200

    cluster.stop()
    for path in ("/", "/pilots", f"/pilots/{slug}", "/councils"):
        response = client.get(path)
        assert response.status_code == 503, path
        page = response.get_data(as_text=True)
        assert "Sorry, the service is unavailable" in page
        assert "cannot reach its records" in page
        assert response.headers["Retry-After"] == "30"
        assert "Content-Security-Policy" in response.headers
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["database"]["ok"] is False

    cluster.start()
    response = client.get(f"/pilots/{slug}")
    assert response.status_code == 200
    assert "Still here after the outage" in response.get_data(as_text=True)
    assert client.get("/healthz").get_json()["status"] == "ok"
