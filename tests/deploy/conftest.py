"""The README's deployment steps, followed: PostgreSQL (a fresh database), Redis, gunicorn with two
workers and nginx in front with deploy/nginx.conf. The steps are read from the README's shell
block, so the tests run what the README says; what they change is listed in `follow_readme`."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.cluster import nginx_main_config
from tests.conftest import fresh_postgres_database
from tests.faults.gunicorn_server import PROJECT, free_port, serving

README_BLOCK = re.compile(r"## Deploying with.*?```sh\n(.*?)```", re.S)
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "registry.example"
SLOW_BODY = 100_000


@dataclass
class Deployment:
    gunicorn: str  # gunicorn's own address, for the attacks that show what nginx is for
    nginx: str
    env: dict[str, str]
    headers: dict[str, str]


def readme_steps() -> list[str]:
    found = README_BLOCK.search((PROJECT / "README.md").read_text())
    assert found, "the README has no deployment shell block"
    return [line for line in found.group(1).splitlines() if line and not line.startswith("#")]


def step(steps: list[str], start: str) -> str:
    matching = [line for line in steps if line.startswith(start)]
    assert len(matching) == 1, f"the README's deployment block should have one {start!r} step"
    return matching[0]


def readme_environment(steps: list[str]) -> dict[str, str]:
    """What the README's `export` lines set, evaluated by bash as a reader's shell would."""
    exports = "\n".join(line for line in steps if line.startswith("export "))
    out = subprocess.run(
        ["bash", "-c", exports + "\nenv -0"], env={"PATH": os.environ["PATH"]},
        capture_output=True, check=True, cwd=PROJECT,
    ).stdout.decode()  # fmt: skip
    names = {n.split("=")[0] for line in steps if line.startswith("export ") for n in line.split()}
    pairs = (item.split("=", 1) for item in out.split("\0") if "=" in item)
    return {name: value for name, value in pairs if name in names}


@pytest.fixture(scope="session")
def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL") or subprocess.run(
        ["bash", "scripts/ensure-redis.sh"], cwd=PROJECT, capture_output=True, text=True,
        check=True,
    ).stdout.strip()  # fmt: skip


@pytest.fixture(scope="session")
def deploy_database() -> Iterator[str]:
    """A fresh PostgreSQL database for the deployment, dropped afterwards."""
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        pytest.skip("the deployment runs on PostgreSQL (set TEST_DATABASE_URL)")
    with fresh_postgres_database(admin_url, "pg_deploy") as url:
        yield url


@contextlib.contextmanager
def nginx(tmp: Path, rendered: str) -> Iterator[str]:
    port = free_port()
    site = tmp / "proving-ground.conf"
    assert "listen 80;" in rendered
    site.write_text(rendered.replace("listen 80;", f"listen 127.0.0.1:{port};"))
    config = nginx_main_config(tmp, site)
    command = [NGINX, "-p", str(tmp), "-c", str(config), "-g", "daemon off;"]
    checked = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    url = f"http://127.0.0.1:{port}"
    with serving(command, dict(os.environ), url, {"Host": HOST}, tmp / "nginx.out"):
        yield url


@pytest.fixture(scope="session")
def deployment(
    deploy_database: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """Follow the README: its settings, its commands, its nginx rendering, its gunicorn.

    Changed, and only these: DATABASE_URL (a fresh database), the Redis address when the tests'
    Redis is elsewhere, a key prefix of this run's own (so runs sharing a Redis never share
    counts), the search index and instance directories (under tmp), gunicorn's and nginx's ports,
    two workers, and nginx's process paths (pid, logs, temp files)."""
    tmp = tmp_path_factory.mktemp("deploy")
    steps = readme_steps()
    env = readme_environment(steps)
    assert env["APP_ENV"] == "production" and env["TRUSTED_PROXY_HOPS"] == "1"
    assert env["RATELIMIT_STORAGE_URI"].startswith("redis://")
    env.update(
        DATABASE_URL=deploy_database,
        RATELIMIT_STORAGE_URI=redis_url,
        RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex[:8]}",
        SEARCH_INDEX_DIR=str(tmp / "search_index"),
        INSTANCE_DIR=str(tmp / "instance"),
    )
    env = {**os.environ, **env}
    for command in (line for line in steps if line.startswith(".venv/bin/flask ")):
        done = subprocess.run(["bash", "-c", command], cwd=PROJECT, env=env, capture_output=True)
        assert done.returncode == 0, f"{command}: {done.stderr.decode()[-2000:]}"

    port = free_port()
    upstream = f"127.0.0.1:{port}"
    # The README pipes the rendering into nginx's directory; the test keeps it.
    render = step(steps, "sed ").split(" | ")[0].replace("127.0.0.1:8000", upstream)
    rendered = subprocess.run(
        ["bash", "-c", render], cwd=PROJECT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "@" not in re.sub(r"#.*", "", rendered), "a placeholder was left in the nginx config"

    gunicorn = shlex.split(step(steps, ".venv/bin/gunicorn "))
    gunicorn = [upstream if part == "127.0.0.1:8000" else part for part in gunicorn]
    gunicorn[gunicorn.index("--workers") + 1] = "2"
    gunicorn[0] = str(PROJECT / gunicorn[0])
    headers = {"Host": HOST}
    with (
        serving(gunicorn, env, f"http://{upstream}", headers, tmp / "gunicorn.log"),
        nginx(tmp, rendered) as nginx_url,
    ):
        yield Deployment(f"http://{upstream}", nginx_url, env, headers)


def slow_client(url: str, path: str = "/pilots/new") -> socket.socket:
    """A connection that sends the head of a 100,000-byte form post and 2 bytes of its body,
    then nothing (closed by the caller)."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=5)
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {SLOW_BODY}\r\n\r\nab".encode()
    )
    return sock
