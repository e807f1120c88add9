"""kill -9 what writes the search index: gunicorn workers in the middle of saves to public
pilots, and a full reindex in the middle of its build. Every acknowledged save is in the index,
and a killed rebuild leaves the old index serving."""

from __future__ import annotations

import functools
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from sqlalchemy import select

from app.auth.service import DEV_ISSUER
from app.extensions import db
from app.pilots.models import Pilot
from app.search import indexing
from tests.factories import create_council, create_pilot, create_user
from tests.faults.gunicorn_server import (
    PROJECT,
    csrf_token,
    gunicorn,
    kill_workers_under,
    signed_in_session,
)
from tests.search.test_search_contract import found_titles

FLASK = Path(sys.executable).parent / "flask"
WRITERS = 3
SECONDS = 9.0
MAX_SECONDS = 40.0
TOKEN = re.compile(r"firetoken(\d+)")
REBUILT_PILOTS = 600


def _edit(pilot: Pilot, n: int) -> dict[str, str | list[str]]:
    return {
        "title": pilot.title,
        "lead_council": "IDX",
        "summary": f"Edit firetoken{n} of this pilot.",
        "hypothesis": pilot.hypothesis,
        "pillars": "inclusion",
        "start_date": ["1", "4", "2026"],
        "planned_end_date": ["30", "9", "2026"],
        "case_study": f"Case study {n}. " * 300,
    }


def test_acknowledged_saves_to_public_pilots_are_in_the_index_after_kills(
    client, whoosh, database_url, tmp_path
):
    council = create_council(code="IDX", nice_name="Indexshire")
    user_id = create_user("editor", council, issuer=DEV_ISSUER).id
    pilots = [
        create_pilot(council, title=f"Indexed under fire {w}", status="registered")
        for w in range(WRITERS)
    ]
    edits = {p.slug: (p.title, p.hypothesis) for p in pilots}
    last_acknowledged: dict[str, int] = {}
    failures: list[str] = []
    dropped: list[str] = []
    counter = iter(range(1, 1_000_000))
    lock = threading.Lock()

    def write(session: requests.Session, slug: str, stop: threading.Event) -> None:
        title, hypothesis = edits[slug]
        while not stop.is_set():
            with lock:
                n = next(counter)
            form = _edit(Pilot(title=title, hypothesis=hypothesis), n)
            address = f"{url}/pilots/{slug}/edit"
            try:
                page = session.get(address, timeout=10).text
                response = session.post(
                    address,
                    data={**form, "csrf_token": csrf_token(page)},
                    allow_redirects=False,
                    timeout=10,
                )
            except (requests.RequestException, AttributeError) as error:  # cut off mid-reply too
                dropped.append(type(error).__name__)
                continue  # not acknowledged, so nothing is promised
            if response.status_code == 302:
                last_acknowledged[slug] = n
            elif response.status_code not in (500, 502, 503):
                failures.append(f"{response.status_code} for edit {n} of {slug}")

    with gunicorn(database_url, tmp_path, whoosh) as server:
        url = server.url
        writers = [
            functools.partial(write, signed_in_session(url, user_id), p.slug) for p in pilots
        ]
        kills = kill_workers_under(
            server, writers, SECONDS, lambda: len(last_acknowledged) == WRITERS, MAX_SECONDS
        )

    assert kills >= 5
    assert not failures, failures
    assert dropped, "no save was cut off by a kill"
    assert len(last_acknowledged) == WRITERS, "a writer never got a save through"
    assert indexing.check() == []  # what a worker queued before it died is applied, not lost
    db.session.expire_all()
    for pilot in db.session.scalars(select(Pilot).where(Pilot.title.like("Indexed under %"))):
        saved = int(TOKEN.search(pilot.summary).group(1))
        # The last acknowledged edit, or a later one that committed as its worker was killed.
        assert saved >= last_acknowledged[pilot.slug]
        assert found_titles(client, f"firetoken{saved}") == [pilot.title]


def test_a_reindex_killed_mid_build_leaves_the_old_index_serving(
    client, whoosh, database_url, tmp_path
):
    client.application.config["SEARCH_SYNC"] = False  # one reindex below, not 600 saves
    try:
        council = create_council()
        for n in range(REBUILT_PILOTS):
            words = f"Gritting route {n} spreads salt before frost reaches the hills. " * 25
            create_pilot(council, title=f"Gritting route {n}", case_study=words)
    finally:
        client.application.config["SEARCH_SYNC"] = True
    indexing.reindex()
    serving = (whoosh / "current").resolve()
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "SEARCH_INDEX_DIR": str(whoosh),
    }
    rebuild = subprocess.Popen(
        [str(FLASK), "--app", "wsgi", "search", "reindex"],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not [g for g in whoosh.glob("gen-*") if g.resolve() != serving]:
            assert rebuild.poll() is None, "the rebuild ended before it began a new generation"
            assert time.monotonic() < deadline, "the rebuild never began a new generation"
            time.sleep(0.01)
        time.sleep(0.3)  # into the build
        assert rebuild.poll() is None, "the rebuild finished before it could be killed"
    finally:
        rebuild.kill()
        rebuild.wait(10)

    assert (whoosh / "current").resolve() == serving
    health = client.get("/healthz").get_json()["search"]
    assert health["index_present"] is True and health["documents"] == REBUILT_PILOTS
    html = client.get("/search", query_string={"q": "gritting"}).get_data(as_text=True)
    assert "Gritting route" in html and "while its index is rebuilt" not in html
    runner = client.application.test_cli_runner()
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0  # the lock died with it
    rebuilt = (whoosh / "current").resolve()
    # The one served before stays for readers that still have it open; the killed one is gone.
    assert {g.resolve() for g in whoosh.glob("gen-*")} == {rebuilt, serving} and rebuilt != serving
