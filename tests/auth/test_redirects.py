"""The sign-in's "return to" address only ever leads to a path on this site."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from app.auth.redirects import safe_next

CLIENT_ID = "pg-client"

REFUSED = [
    "//evil.example",
    "/\\evil.example",
    "https://evil.example",
    "http://evil.example/pilots",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "\\\\evil.example",
    "/\t/evil.example",
    " //evil.example",
    "///evil.example",
    "data:text/html,hi",
]
ALLOWED = ["/account", "/pilots?council=kec&page=2", "/pilots/a-pilot/edit"]


@pytest.mark.parametrize("target", REFUSED)
def test_outside_addresses_are_refused(target):
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ALLOWED)
def test_paths_on_this_site_are_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", REFUSED[:5])
def test_sign_in_never_returns_to_another_site(fake_client, fake_idp, target):
    start = fake_client.get("/auth/sign-in/fake", query_string={"next": target})
    params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["Location"]).query).items()}
    fake_idp.id_token = fake_idp.sign(fake_idp.claims(CLIENT_ID, params["nonce"]))
    response = fake_client.get(f"/auth/callback/fake?code=abc&state={params['state']}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
