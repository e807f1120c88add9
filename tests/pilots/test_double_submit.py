"""A double click on "Save draft": two identical POST /pilots/new at once, served by real server
threads. Both must be answered with the draft they made, never a 500 from the slug's clash."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.service import DEV_ISSUER
from app.extensions import db
from app.pilots.models import Pilot
from tests.factories import create_council, create_user
from tests.live_server import double_submits

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
