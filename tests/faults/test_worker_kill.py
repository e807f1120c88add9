"""kill -9 gunicorn workers in the middle of saves: every save that was acknowledged is in the
database exactly as sent, and nothing half-written is there."""

from __future__ import annotations

import functools
import threading

import requests
from sqlalchemy import select

from app.auth.service import DEV_ISSUER
from app.extensions import db
from app.pilots.models import Pilot, PilotEvent
from tests.factories import create_council, create_user
from tests.faults.gunicorn_server import csrf_token, gunicorn, kill_workers_under, signed_in_session

WRITERS = 4
SECONDS = 9.0
MAX_SECONDS = 40.0


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
    acknowledged: dict[str, dict[str, str]] = {}
    attempted: dict[str, dict[str, str]] = {}
    failures: list[str] = []
    dropped: list[str] = []
    counter = iter(range(1, 1_000_000))
    lock = threading.Lock()

    def write(session: requests.Session, stop: threading.Event) -> None:
        while not stop.is_set():
            with lock:
                n = next(counter)
            form = _form(n)
            attempted[form["title"]] = form
            try:
                page = session.get(url + "/pilots/new", timeout=10).text
                response = session.post(
                    url + "/pilots/new",
                    data={**form, "csrf_token": csrf_token(page)},
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

    with gunicorn(database_url, tmp_path, tmp_path / "search_index") as server:
        url = server.url
        writers = [
            functools.partial(write, signed_in_session(url, user_id)) for _ in range(WRITERS)
        ]
        kills = kill_workers_under(
            server, writers, SECONDS, lambda: len(acknowledged) >= 6, MAX_SECONDS
        )

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
