"""ID tokens are trusted only when every check passes; forged ones never create a session."""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey
from sqlalchemy import func, select

from app.auth.models import User, UserSession
from app.auth.sessions import SESSION_KEY
from app.extensions import db

CLIENT_ID = "pg-client"


def start(client, next_path="/account"):
    response = client.get(f"/auth/sign-in/fake?next={next_path}")
    assert response.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def assert_refused(client, response):
    assert response.status_code == 400
    assert "could not be trusted" in response.get_data(as_text=True)
    assert count(UserSession) == 0
    assert count(User) == 0
    with client.session_transaction() as session:
        assert SESSION_KEY not in session


def test_a_genuine_token_signs_in_with_pkce_and_the_client_secret(fake_client, fake_idp):
    params = start(fake_client)
    assert params["code_challenge_method"] == "S256"
    assert params["redirect_uri"] == "http://localhost/auth/callback/fake"
    fake_idp.id_token = fake_idp.sign(fake_idp.claims(CLIENT_ID, params["nonce"]))
    response = fake_client.get(f"/auth/callback/fake?code=abc&state={params['state']}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert count(UserSession) == 1
    user = db.session.scalar(select(User))
    assert (user.issuer, user.subject, user.email) == (
        fake_idp.issuer,
        "fake-subject-1",
        "officer@kec.gov.uk",
    )
    sent = fake_idp.token_requests[-1]
    verifier = sent["code_verifier"][0]
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert digest.decode() == params["code_challenge"]
    assert sent["code"] == ["abc"]
    assert "client_secret" not in sent  # sent in the Authorization header (client_secret_basic)


FORGERIES = {
    "alg none": lambda idp, nonce: idp.unsigned(idp.claims(CLIENT_ID, nonce)),
    "wrong aud": lambda idp, nonce: idp.sign(idp.claims(CLIENT_ID, nonce, aud="someone-else")),
    "wrong iss": lambda idp, nonce: idp.sign(
        idp.claims(CLIENT_ID, nonce, iss="https://evil.example")
    ),
    "expired": lambda idp, nonce: idp.sign(
        idp.claims(CLIENT_ID, nonce, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)
    ),
    "wrong nonce": lambda idp, nonce: idp.sign(idp.claims(CLIENT_ID, "another-nonce")),
    "no nonce": lambda idp, nonce: idp.sign(idp.claims(CLIENT_ID, None)),
    "another key": lambda idp, nonce: idp.sign(
        idp.claims(CLIENT_ID, nonce), RSAKey.generate_key(2048, parameters={"kid": "fake-1"})
    ),
    "HS256 with the client secret": lambda idp, nonce: jwt.encode(
        {"alg": "HS256"}, idp.claims(CLIENT_ID, nonce), OctKey.import_key("s3cret" * 6)
    ),
    "tampered payload": lambda idp, nonce: _tampered(idp, nonce),
}


def _tampered(idp, nonce):
    header, _, signature = idp.sign(idp.claims(CLIENT_ID, nonce)).split(".")
    from tests.auth.fake_idp import b64

    return ".".join([header, b64(idp.claims(CLIENT_ID, nonce, sub="admin")), signature])


@pytest.mark.parametrize("forgery", FORGERIES, ids=list(FORGERIES))
def test_forged_id_tokens_are_refused(fake_client, fake_idp, forgery):
    params = start(fake_client)
    fake_idp.id_token = FORGERIES[forgery](fake_idp, params["nonce"])
    response = fake_client.get(f"/auth/callback/fake?code=abc&state={params['state']}")
    assert_refused(fake_client, response)


def test_a_callback_with_the_wrong_state_is_refused(fake_client, fake_idp):
    params = start(fake_client)
    fake_idp.id_token = fake_idp.sign(fake_idp.claims(CLIENT_ID, params["nonce"]))
    response = fake_client.get("/auth/callback/fake?code=abc&state=guessed")
    assert response.status_code == 400
    assert "not started from this browser" in response.get_data(as_text=True)
    assert count(UserSession) == 0


def test_a_callback_cannot_be_replayed(fake_client, fake_idp):
    params = start(fake_client)
    fake_idp.id_token = fake_idp.sign(fake_idp.claims(CLIENT_ID, params["nonce"]))
    assert (
        fake_client.get(f"/auth/callback/fake?code=abc&state={params['state']}").status_code == 302
    )
    fake_client.post("/auth/sign-out")
    again = fake_client.get(f"/auth/callback/fake?code=abc&state={params['state']}")
    assert again.status_code == 400
    assert count(UserSession) == 1  # only the first sign-in's session


def test_a_callback_from_another_provider_is_refused(fake_client, fake_idp):
    params = start(fake_client)
    fake_idp.id_token = fake_idp.sign(fake_idp.claims(CLIENT_ID, params["nonce"]))
    response = fake_client.get(
        f"/auth/callback/fake?code=abc&state={params['state']}&iss=https://evil.example"
    )
    assert_refused(fake_client, response)


def test_email_comes_from_userinfo_only_for_the_same_subject(fake_client, fake_idp):
    params = start(fake_client)
    fake_idp.id_token = fake_idp.sign(
        fake_idp.claims(CLIENT_ID, params["nonce"], email=None, email_verified=None)
    )
    fake_idp.userinfo = {"sub": "someone-else", "email": "boss@kec.gov.uk", "email_verified": True}
    fake_client.get(f"/auth/callback/fake?code=abc&state={params['state']}")
    assert db.session.scalar(select(User)).email == ""

    fake_client.post("/auth/sign-out")
    params = start(fake_client)
    fake_idp.id_token = fake_idp.sign(
        fake_idp.claims(CLIENT_ID, params["nonce"], email=None, email_verified=None)
    )
    fake_idp.userinfo = {"sub": "fake-subject-1", "email": "me@kec.gov.uk", "email_verified": True}
    fake_client.get(f"/auth/callback/fake?code=abc&state={params['state']}")
    db.session.expire_all()
    assert db.session.scalar(select(User)).email == "me@kec.gov.uk"


def test_a_discovery_document_naming_another_issuer_is_refused(fake_client, fake_app, fake_idp):
    providers = fake_app.config["AUTH_PROVIDERS"]
    providers["lookalike"] = {**providers["fake"], "issuer": fake_idp.issuer + "/"}
    try:
        response = fake_client.get("/auth/sign-in/lookalike")
    finally:
        del providers["lookalike"]
    assert response.status_code == 503
    assert "not set up correctly" in response.get_data(as_text=True)


def test_an_unknown_provider_is_not_found(fake_client):
    assert fake_client.get("/auth/sign-in/nobody").status_code == 404
    assert fake_client.get("/auth/callback/nobody?code=x&state=y").status_code == 404


def test_the_sign_in_page_lists_the_providers(fake_client):
    html = fake_client.get("/auth/sign-in?next=/account").get_data(as_text=True)
    assert "Sign in with Fake" in html
    assert 'href="/auth/sign-in/fake?next=/account"' in html


def test_a_post_starts_sign_in_too(fake_client):
    response = fake_client.post("/auth/sign-in/fake", data={"next": "/account"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(
        fake_client.application.config["AUTH_PROVIDERS"]["fake"]["issuer"]
    )


def test_a_provider_that_refuses_sign_in_is_explained(fake_client):
    params = start(fake_client)
    response = fake_client.get(f"/auth/callback/fake?error=access_denied&state={params['state']}")
    assert response.status_code == 400
    assert "did not sign you in" in response.get_data(as_text=True)
    assert count(UserSession) == 0
