"""Double clicks on the funder's forms, served by real server threads: a new programme twice at
once makes two (the second with the next slug); an award twice at once is recorded once, and the
second is told its reference is taken. Never a 500."""

from __future__ import annotations

import requests
from sqlalchemy import func, select

from app.auth.service import DEV_ISSUER
from app.extensions import db
from app.funding.models import Award, Programme
from tests.factories import create_pilot, create_programme, create_user
from tests.funding.test_programmes import PROGRAMME_FORM, _award_form
from tests.live_server import double_submits

PAIRS = 8


def test_two_identical_new_programmes_at_once(app_ctx, database_url, tmp_path):
    user_id = create_user("funder", issuer=DEV_ISSUER).id
    forms = [{**PROGRAMME_FORM, "name": f"Twice funded {n}"} for n in range(PAIRS)]
    pairs = double_submits(database_url, tmp_path, user_id, "/funding/programmes/new", forms)
    statuses = [tuple(r.status_code for r in pair) for pair in pairs]
    failed = [s for s in statuses if s != (302, 302)]
    assert not failed, f"{len(failed)} of {PAIRS} pairs failed: {failed}"
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 2 * PAIRS


def _answer(response: requests.Response) -> str | int:
    taken = "already has an award with reference" in response.text
    return "taken" if response.status_code == 400 and taken else response.status_code


def test_two_identical_awards_at_once(app_ctx, database_url, tmp_path):
    programme = create_programme()
    pilot = create_pilot()
    user_id = create_user("funder", issuer=DEV_ISSUER).id
    forms = [_award_form(pilot, reference=f"AW-{n}", amount_disbursed="0") for n in range(PAIRS)]
    new = f"/funding/programmes/{programme.slug}/awards/new"
    pairs = double_submits(database_url, tmp_path, user_id, new, forms)
    answers = [_answer(response) for pair in pairs for response in pair]
    assert sorted(answers, key=str) == sorted([302, "taken"] * PAIRS, key=str), answers
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Award)) == PAIRS
