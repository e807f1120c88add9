"""A real gunicorn serving the app on loopback, for the tests that kill its workers."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import requests

from bench.cluster import child_pids as worker_pids
from bench.cluster import free_port

GUNICORN = Path(sys.executable).parent / "gunicorn"
PROJECT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KILL_EVERY_SECONDS = 1.5


def _wait_until_up(url: str, headers: dict[str, str] | None = None) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", headers=headers, timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not start")


@contextlib.contextmanager
def gunicorn(database_url: str, tmp_path: Path, index_dir: Path) -> Iterator[subprocess.Popen]:
    """Three workers on a free loopback port; yields the master process (its `url` attribute
    is the address) and stops it afterwards, whatever happened."""
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "RATELIMIT_ENABLED": "0",
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "SEARCH_INDEX_DIR": str(index_dir),
    }
    command = [
        *(str(GUNICORN), "--workers", "3", "--bind", f"127.0.0.1:{port}", "--preload"),
        *("--timeout", "20", "--graceful-timeout", "5", "--log-level", "warning", "wsgi:app"),
    ]
    with serving(command, env, f"http://127.0.0.1:{port}") as server:
        yield server


@contextlib.contextmanager
def serving(
    command: list[str],
    env: dict[str, str],
    url: str,
    headers: dict[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[subprocess.Popen]:
    """Run `command` (a server) from the project's directory until `url`/healthz answers 200;
    yields the process (its `url` attribute is `url`) and stops it afterwards, whatever happened.
    """
    output = log.open("ab") if log else subprocess.DEVNULL
    server = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=output, stderr=output)
    server.url = url  # type: ignore[attr-defined]
    try:
        _wait_until_up(url, headers)
        yield server
    finally:
        if log:
            output.close()  # type: ignore[union-attr]
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def signed_in_session(
    url: str, user_id: int, headers: dict[str, str] | None = None
) -> requests.Session:
    """A requests session signed in through the development sign-in (sending `headers` with the
    sign-in's requests: an X-Forwarded-For makes it another person's address)."""
    session = requests.Session()
    page = session.get(url + "/auth/dev", headers=headers, timeout=10).text
    response = session.post(
        url + "/auth/dev",
        data={"csrf_token": csrf_token(page), "user_id": str(user_id)},
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    return session


def csrf_token(page: str) -> str:
    found = CSRF.search(page)
    if found is None:
        raise AttributeError("the page has no CSRF token (a worker died while sending it)")
    return found.group(1)


def kill_workers_under(
    server: subprocess.Popen,
    writers: list[Callable[[threading.Event], None]],
    seconds: float,
    until: Callable[[], bool],
    most: float,
) -> int:
    """Run each writer in a thread (it writes until the event is set) while kill_workers runs;
    returns how many workers were killed."""
    stop = threading.Event()
    threads = [threading.Thread(target=write, args=(stop,)) for write in writers]
    for thread in threads:
        thread.start()
    try:
        return kill_workers(server, seconds, until, most)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)


def kill_workers(
    server: subprocess.Popen, seconds: float, until: Callable[[], bool], most: float
) -> int:
    """kill -9 one worker every KILL_EVERY_SECONDS for at least `seconds`, then on until `until()`
    (a loaded machine is slow), but never past `most` seconds. Returns how many were killed."""
    kills = 0
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < most and (elapsed < seconds or not until()):
        time.sleep(KILL_EVERY_SECONDS)
        workers = worker_pids(server.pid)
        if workers:
            os.kill(workers[kills % len(workers)], signal.SIGKILL)
            kills += 1
    return kills
