"""A double click on "Ask to join": two identical POST /account/join at once, served by real
server threads. The request is recorded once; the second click is told it already was (or, when
it came in late enough, sees the first's answer), never a 500."""

from __future__ import annotations

import requests
from sqlalchemy import func, select

from app.auth.models import CouncilDomain, Membership, User
from app.auth.oidc import Identity
from app.auth.service import DEV_ISSUER, user_from_identity
from app.extensions import db
from tests.factories import create_council, create_user
from tests.live_server import at_once, double_submits

PAIRS = 10


def _answer(response: requests.Response) -> str | int:
    if response.status_code == 302:
        return "joined"
    if response.status_code == 400 and "You are already waiting for" in response.text:
        return "already"
    return response.status_code


def test_two_identical_join_requests_at_once_make_one_request(app_ctx, database_url, tmp_path):
    codes = [f"J{n:02d}" for n in range(PAIRS)]
    for code in codes:
        create_council(code=code, nice_name=f"Joinham {code}")
    user_id = create_user(issuer=DEV_ISSUER, email="officer@elsewhere.test").id
    forms = [{"council": code} for code in codes]
    pairs = double_submits(database_url, tmp_path, user_id, "/account/join", forms, "/account")
    statuses = [tuple(_answer(r) for r in pair) for pair in pairs]
    failed = [s for s in statuses if sorted(s) not in (["joined", "joined"], ["already", "joined"])]
    assert not failed, f"{len(failed)} of {PAIRS} pairs failed: {failed}"
    db.session.expire_all()
    counts = db.session.scalars(
        select(func.count()).select_from(Membership).group_by(Membership.council_id)
    )
    assert list(counts) == [1] * PAIRS


def test_first_sign_in_twice_at_once_makes_one_account(app_ctx):
    """Two tabs finishing their first sign-in together: one account, each tab signed in to it."""
    app = app_ctx

    def sign_in_first_time(subject: str) -> int:
        with app.app_context():
            identity = Identity("https://idp.test", subject, f"{subject}@kec.gov.uk", True, "New")
            return user_from_identity(identity).id

    for n in range(PAIRS):
        subject = f"newcomer-{n}"
        ids = at_once(*(lambda s=subject: sign_in_first_time(s) for _ in range(2)))
        assert ids[0] == ids[1]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User)) == PAIRS


def test_the_same_domains_saved_twice_at_once(app_ctx, database_url, tmp_path):
    council = create_council(code="DOM", nice_name="Domainshire")
    user_id = create_user("council-admin", council, issuer=DEV_ISSUER).id
    forms = [{"domains": f"d{n}.domainshire.gov.uk"} for n in range(PAIRS)]
    pairs = double_submits(database_url, tmp_path, user_id, "/councils/dom/domains", forms)
    statuses = [tuple(r.status_code for r in pair) for pair in pairs]
    failed = [s for s in statuses if s != (302, 302)]
    assert not failed, f"{len(failed)} of {PAIRS} pairs failed: {failed}"
    db.session.expire_all()
    assert db.session.scalars(select(CouncilDomain.domain)).all() == [
        f"d{PAIRS - 1}.domainshire.gov.uk"
    ]
