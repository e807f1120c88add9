"""A council admin's API tokens: shown once, recognisable, stored only as a hash, two at most,
expiring within a year, revoked at once."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.api.models import ApiToken
from app.api.tokens import looks_like_token
from app.extensions import db
from tests.api.conftest import bearer
from tests.factories import create_council, create_user

NEW = {"name": "Case system", "scopes": ["pilots:write", "updates:write"], "days": "90"}
TOKEN = re.compile(r"pg_[0-9A-Za-z]{36}")


def _admin(sign_in):
    council = create_council(code="KEC", nice_name="Kestrel")
    sign_in(create_user("council-admin", council))
    return council


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(client, sign_in):
    _admin(sign_in)
    page = client.post("/councils/kec/api-tokens", data=NEW)
    assert page.status_code == 200
    secret = TOKEN.search(page.get_data(as_text=True)).group(0)
    assert looks_like_token(secret)
    assert not looks_like_token(secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash != secret and secret not in stored.token_hash
    assert stored.scope_list == ["pilots:write", "updates:write"]
    again = client.get("/councils/kec/api-tokens").get_data(as_text=True)
    assert secret not in again and secret[:8] in again
    assert client.get("/api/v1/pilots", headers=bearer(secret)).status_code == 200
    assert "Never" not in client.get("/councils/kec/api-tokens").get_data(as_text=True)


def test_a_third_active_token_is_refused(client, sign_in):
    _admin(sign_in)
    for _ in range(2):
        assert client.post("/councils/kec/api-tokens", data=NEW).status_code == 200
    third = client.post("/councils/kec/api-tokens", data=NEW)
    assert third.status_code == 400
    assert "at most 2 active tokens" in third.get_data(as_text=True)
    assert len(db.session.scalars(select(ApiToken)).all()) == 2


def test_an_expiry_past_twelve_months_or_no_scope_is_refused(client, sign_in):
    _admin(sign_in)
    assert client.post("/councils/kec/api-tokens", data={**NEW, "days": "400"}).status_code == 400
    assert client.post("/councils/kec/api-tokens", data={**NEW, "scopes": []}).status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_a_revoked_token_stops_working_at_once(client, sign_in):
    _admin(sign_in)
    secret = TOKEN.search(
        client.post("/councils/kec/api-tokens", data=NEW).get_data(as_text=True)
    ).group(0)
    token = db.session.scalar(select(ApiToken))
    response = client.post(f"/councils/kec/api-tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/pilots", headers=bearer(secret)).status_code == 401
    assert "Revoked" in client.get("/councils/kec/api-tokens").get_data(as_text=True)


def test_the_tokens_page_leads_back_to_the_council(client, sign_in):
    _admin(sign_in)
    html = client.get("/councils/kec/api-tokens").get_data(as_text=True)
    assert '<a class="govuk-breadcrumbs__link" href="/councils/kec">Kestrel</a>' in html
