"""kill -9 gunicorn workers in the middle of saves: every save that was acknowledged is in the
database exactly as sent, and nothing half-written is there."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from sqlalchemy import select

from app.auth.service import DEV_ISSUER
from app.extensions import db
from app.pilots.models import Pilot, PilotEvent
from tests.factories import create_council, create_user

GUNICORN = Path(sys.executable).parent / "gunicorn"
PROJECT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
WRITERS = 4
SECONDS = 9.0
MAX_SECONDS = 40.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _workers(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def _signed_in_session(url: str, user_id: int) -> requests.Session:
    session = requests.Session()
    page = session.get(url + "/auth/dev", timeout=10).text
    response = session.post(
        url + "/auth/dev",
        data={"csrf_token": CSRF.search(page).group(1), "user_id": str(user_id)},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    return session


def _form(n: int) -> dict[str, str]:
    return {
        "title": f"Saved under fire {n}",
        "lead_council": "FLT",
        "summary": f"Summary {n}",
        "hypothesis": f"We believe save {n} survives. We will know when it is there.",
        "pillars": "inclusion",
        "tags": f"fault-{n}",
        "case_study": f"Case study {n}. " * 400,
    }


def test_acknowledged_saves_survive_workers_killed_mid_save(app_ctx, database_url, tmp_path):
    council = create_council(code="FLT", nice_name="Faultshire")
    user_id = create_user("editor", council, issuer=DEV_ISSUER).id
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "RATELIMIT_ENABLED": "0",
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
    }
    server = subprocess.Popen(
        [str(GUNICORN), "--workers", "3", "--bind", f"127.0.0.1:{port}", "--preload",
         "--timeout", "20", "--graceful-timeout", "5", "--log-level", "warning", "wsgi:app"],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    acknowledged: dict[str, dict[str, str]] = {}
    attempted: dict[str, dict[str, str]] = {}
    failures: list[str] = []
    dropped: list[str] = []
    counter = iter(range(1, 1_000_000))
    lock = threading.Lock()
    stop = threading.Event()

    def write(session: requests.Session) -> None:
        while not stop.is_set():
            with lock:
                n = next(counter)
            form = _form(n)
            attempted[form["title"]] = form
            try:
                page = session.get(url + "/pilots/new", timeout=10).text
                response = session.post(
                    url + "/pilots/new",
                    data={**form, "csrf_token": CSRF.search(page).group(1)},
                    allow_redirects=False,
                    timeout=10,
                )
            except (requests.RequestException, AttributeError) as error:  # cut off mid-reply too
                dropped.append(type(error).__name__)
                continue  # the worker died under us: not acknowledged, so nothing is promised
            if response.status_code == 302 and "/pilots/" in response.headers["Location"]:
                acknowledged[form["title"]] = form
            elif response.status_code not in (500, 502, 503):
                failures.append(f"{response.status_code} for {form['title']}")

    try:
        _wait_until_up(url)
        sessions = [_signed_in_session(url, user_id) for _ in range(WRITERS)]
        writers = [threading.Thread(target=write, args=(s,)) for s in sessions]
        for thread in writers:
            thread.start()
        kills = 0
        started = time.monotonic()
        # At least SECONDS of kills, then on until enough saves got through (a loaded machine is
        # slow), but never past MAX_SECONDS.
        while time.monotonic() - started < MAX_SECONDS and (
            time.monotonic() - started < SECONDS or len(acknowledged) < 6
        ):
            time.sleep(1.5)
            workers = _workers(server.pid)
            if workers:
                os.kill(workers[kills % len(workers)], signal.SIGKILL)
                kills += 1
        stop.set()
        for thread in writers:
            thread.join(30)
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)

    assert kills >= 5
    assert not failures, failures
    assert dropped, "no save was cut off by a kill"
    assert len(acknowledged) >= 6, f"too few saves: {len(attempted)} tried, {len(dropped)} cut"
    db.session.expire_all()
    saved = {
        p.title: p
        for p in db.session.scalars(select(Pilot).where(Pilot.title.like("Saved under fire %")))
    }
    missing = sorted(set(acknowledged) - set(saved))
    assert not missing, f"acknowledged but lost: {missing}"
    for title, pilot in saved.items():
        form = attempted[title]
        assert pilot.summary == form["summary"]
        assert pilot.hypothesis == form["hypothesis"]
        assert pilot.case_study == form["case_study"].strip()
        assert pilot.pillars == ["inclusion"]
        assert pilot.tags == [form["tags"]]
        assert pilot.lead_council.code == "FLT"
        events = db.session.scalars(select(PilotEvent.kind).where(PilotEvent.pilot_id == pilot.id))
        assert list(events) == ["created"]
