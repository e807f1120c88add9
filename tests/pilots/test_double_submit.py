"""A double click on "Save draft": two identical POST /pilots/new at once, served by real server
threads. Both must be answered with the draft they made, never a 500 from the slug's clash."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.service import DEV_ISSUER
from app.extensions import db
from app.pilots.models import Pilot
from tests.factories import create_council, create_user
from tests.live_server import double_submit, live_server, signed_in_twice

PAIRS = 12


def test_two_identical_new_pilot_posts_at_once_both_make_a_draft(app_ctx, database_url, tmp_path):
    council = create_council(code="DBL", nice_name="Doubleton")
    user_id = create_user("editor", council, issuer=DEV_ISSUER).id
    statuses = []
    with live_server(database_url, tmp_path) as url:
        sessions = signed_in_twice(url, user_id)
        for n in range(PAIRS):
            form = {
                "title": f"Clicked twice {n}",
                "lead_council": "DBL",
                "summary": "A summary.",
                "hypothesis": "We believe a double click is harmless. We will know when it is.",
                "pillars": "inclusion",
            }
            responses = double_submit(sessions, url + "/pilots/new", url + "/pilots/new", form)
            locations = {r.headers.get("Location") for r in responses}
            statuses.append((*(r.status_code for r in responses), len(locations)))
    failed = [s for s in statuses if s != (302, 302, 2)]
    assert not failed, f"{len(failed)} of {PAIRS} pairs failed: {failed}"
    db.session.expire_all()
    slugs = set(db.session.scalars(select(Pilot.slug)))
    assert len(slugs) == 2 * PAIRS
    assert {f"clicked-twice-{n}" for n in range(PAIRS)} <= slugs
