"""Signing in through a real OpenID Connect provider (npm oidc-provider), end to end over HTTP."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from sqlalchemy import select

from app.auth.models import User, UserSession
from app.extensions import db


def _form(html: str) -> tuple[str, dict[str, str]]:
    action = unescape(re.search(r'<form[^>]*action="([^"]+)"', html).group(1))
    fields = {
        m.group(1): unescape(m.group(2))
        for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    }
    return action, fields


def sign_in_with_requests(
    http: requests.Session, base_url: str, provider: str, login: str, next_path: str = "/account"
) -> requests.Response:
    """Drive the whole authorization-code flow: our app → provider login → consent → callback."""
    start = http.get(f"{base_url}/auth/sign-in/{provider}", params={"next": next_path}, timeout=10)
    assert start.status_code == 200, start.text[:500]
    authorize = next(r for r in start.history if "/auth?" in r.headers.get("Location", ""))
    query = parse_qs(urlsplit(authorize.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"][0] and query["nonce"][0]
    action, fields = _form(start.text)
    consent = http.post(
        urljoin(start.url, action), data={**fields, "login": login, "password": "any"}, timeout=10
    )
    action, fields = _form(consent.text)
    assert fields.get("prompt") == "consent", consent.text[:500]
    return http.post(urljoin(consent.url, action), data=fields, timeout=10)


def _sign_out_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_signing_in_through_the_real_provider_and_out_again(served_ctx):
    http = requests.Session()
    landed = sign_in_with_requests(http, served_ctx.base_url, "council", "officer@kec.gov.uk")
    assert landed.status_code == 200
    assert landed.url == f"{served_ctx.base_url}/account"
    assert "Your account" in landed.text
    assert "officer@kec.gov.uk" in landed.text  # the email came from the provider's userinfo
    user = db.session.scalar(select(User))
    assert user.issuer == served_ctx.app.config["AUTH_PROVIDERS"]["council"]["issuer"]
    assert user.subject == "officer@kec.gov.uk"  # the provider's sub for this login
    assert user.email_verified is True

    # A copy of the cookie taken before signing out stops working once the user signs out.
    copied = requests.Session()
    copied.cookies.update(http.cookies)
    assert copied.get(f"{served_ctx.base_url}/account", timeout=10).url.endswith("/account")
    signed_out = http.post(
        f"{served_ctx.base_url}/auth/sign-out",
        data={"csrf_token": _sign_out_token(landed.text)},
        timeout=10,
    )
    assert "You have signed out" in signed_out.text
    db.session.expire_all()
    assert db.session.scalar(select(UserSession)).revoked_at is not None
    replay = copied.get(f"{served_ctx.base_url}/account", timeout=10)
    assert "/auth/sign-in" in replay.url
    assert "Your account" not in replay.text


def test_sign_out_without_the_form_token_is_refused(served_ctx):
    http = requests.Session()
    landed = sign_in_with_requests(http, served_ctx.base_url, "council", "officer@kec.gov.uk")
    assert landed.status_code == 200
    refused = http.post(f"{served_ctx.base_url}/auth/sign-out", timeout=10)
    assert refused.status_code == 400
    assert http.get(f"{served_ctx.base_url}/account", timeout=10).url.endswith("/account")


def test_a_second_provider_with_the_same_email_makes_a_second_account(served_ctx):
    sign_in_with_requests(requests.Session(), served_ctx.base_url, "council", "same@kec.gov.uk")
    sign_in_with_requests(requests.Session(), served_ctx.base_url, "second", "same@kec.gov.uk")
    users = db.session.scalars(select(User).order_by(User.id)).all()
    assert [u.email for u in users] == ["same@kec.gov.uk", "same@kec.gov.uk"]
    assert users[0].issuer != users[1].issuer
    # Signing in again with the first provider finds the first account, not a new one.
    sign_in_with_requests(requests.Session(), served_ctx.base_url, "council", "same@kec.gov.uk")
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 2


def test_private_key_jwt_client_authentication_signs_in(served_ctx):
    # The "onelogin" provider authenticates to the token endpoint with a JWT signed by our key,
    # as GOV.UK One Login requires; the real provider checks it against our public key.
    landed = sign_in_with_requests(
        requests.Session(), served_ctx.base_url, "onelogin", "pk@kec.gov.uk"
    )
    assert landed.url == f"{served_ctx.base_url}/account"
    assert db.session.scalar(select(User)).email == "pk@kec.gov.uk"


def test_the_wrong_client_key_is_refused_by_the_provider(served_ctx, tmp_path):
    from joserfc.jwk import RSAKey

    wrong = tmp_path / "wrong.pem"
    wrong.write_bytes(RSAKey.generate_key(2048).as_pem(private=True))
    settings = served_ctx.app.config["AUTH_PROVIDERS"]["onelogin"]
    settings["private_key_file"] = str(wrong)
    try:
        landed = sign_in_with_requests(
            requests.Session(), served_ctx.base_url, "onelogin", "pk@kec.gov.uk"
        )
    finally:
        settings["private_key_file"] = served_ctx.private_key_file
    assert landed.status_code == 400
    assert "did not accept the sign-in" in landed.text
    assert db.session.scalar(select(db.func.count()).select_from(UserSession)) == 0
