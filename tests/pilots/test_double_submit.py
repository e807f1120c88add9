"""Double clicks, served by real server threads: two identical POST /pilots/new at once make two
drafts (never a 500 from the slug's clash); "Register" or "Start" twice at once happens once."""

from __future__ import annotations

import requests
from sqlalchemy import select

from app.auth.service import DEV_ISSUER
from app.extensions import db
from app.pilots.events import events_for_pilot
from app.pilots.history import versions_of
from app.pilots.models import Pilot
from tests.factories import create_council, create_measure, create_pilot, create_user
from tests.live_server import double_submit, double_submits, live_server, signed_in_twice

PAIRS = 12


def test_two_identical_new_pilot_posts_at_once_both_make_a_draft(app_ctx, database_url, tmp_path):
    council = create_council(code="DBL", nice_name="Doubleton")
    user_id = create_user("editor", council, issuer=DEV_ISSUER).id
    forms = [
        {
            "title": f"Clicked twice {n}",
            "lead_council": "DBL",
            "summary": "A summary.",
            "hypothesis": "We believe a double click is harmless. We will know when it is.",
            "pillars": "inclusion",
        }
        for n in range(PAIRS)
    ]
    pairs = double_submits(database_url, tmp_path, user_id, "/pilots/new", forms)
    statuses = [
        (*(r.status_code for r in pair), len({r.headers.get("Location") for r in pair}))
        for pair in pairs
    ]
    failed = [s for s in statuses if s != (302, 302, 2)]
    assert not failed, f"{len(failed)} of {PAIRS} pairs failed: {failed}"
    db.session.expire_all()
    slugs = set(db.session.scalars(select(Pilot.slug)))
    assert len(slugs) == 2 * PAIRS
    assert {f"clicked-twice-{n}" for n in range(PAIRS)} <= slugs


def _answer(response: requests.Response) -> str | int:
    """A second click either sees the first's result, or is told why it cannot be done again."""
    if response.status_code == 302:
        return "done"
    return (
        "refused" if "A running pilot cannot be started" in response.text else response.status_code
    )


def test_register_and_start_clicked_twice_at_once_happen_once(app_ctx, database_url, tmp_path):
    council = create_council(code="DBL", nice_name="Doubleton")
    user_id = create_user("editor", council, issuer=DEV_ISSUER).id
    pilots = [create_pilot(council, status="draft", slug=f"twice-{n}") for n in range(PAIRS // 2)]
    for pilot in pilots:
        create_measure(pilot)
    with live_server(database_url, tmp_path) as url:
        sessions = signed_in_twice(url, user_id)
        pairs = [
            double_submit(
                sessions, f"{url}/pilots/{p.slug}/{action}", f"{url}/pilots/{p.slug}/{action}", data
            )
            for action, data in (("register", {}), ("start", {"started_on": ["2", "1", "2026"]}))
            for p in pilots
        ]
    answers = [sorted(_answer(r) for r in pair) for pair in pairs]
    assert [a for a in answers if a not in (["done", "done"], ["done", "refused"])] == []
    db.session.expire_all()
    for pilot in pilots:
        kinds = [e.kind for e in events_for_pilot(pilot)]
        assert kinds == ["registered", "started"], kinds
        assert [(v.major, v.minor) for v in versions_of(pilot)] == [(1, 0)]
