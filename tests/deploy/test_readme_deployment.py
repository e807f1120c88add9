"""The README's deployment, followed (tests/deploy/conftest.py): rate limits counted in Redis hold
across gunicorn's two workers, and every 429 says when to try again."""

from __future__ import annotations

import time

import pytest
import requests
from flask import Flask, session
from flask_wtf.csrf import generate_csrf

from tests.deploy.conftest import slow_client

pytestmark = pytest.mark.postgres_only
POSTS_PER_PERSON = (
    30  # the default RATELIMIT_FORM_POSTS_PER_USER; signed out, a person is an address
)


def anonymous_form(secret_key: str) -> tuple[dict[str, str], dict[str, str]]:
    """A session cookie and the CSRF token that goes with it, as the app itself would make them."""
    signer = Flask("signer")
    signer.secret_key = secret_key
    with signer.test_request_context():
        token = generate_csrf()
        cookie = signer.session_interface.get_signing_serializer(signer).dumps(dict(session))  # type: ignore[attr-defined]
    return {"Cookie": f"session={cookie}"}, {"csrf_token": token}


def test_the_31st_post_is_refused_whichever_worker_takes_it(deployment):
    cookie, form = anonymous_form(deployment.env["SECRET_KEY"])
    headers = {**deployment.headers, **cookie}

    def post(url: str) -> requests.Response:
        return requests.post(
            url + "/auth/sign-out", data=form, headers=headers, allow_redirects=False, timeout=10
        )

    # A slow client holds one worker, so the first half of the posts all go to the other; then a
    # second holds that one and the first lets its worker go, which takes the second half.
    first = slow_client(deployment.gunicorn)
    time.sleep(0.5)
    statuses = [post(deployment.gunicorn).status_code for _ in range(15)]
    second = slow_client(deployment.gunicorn)
    time.sleep(0.5)
    first.close()
    statuses += [post(deployment.gunicorn).status_code for _ in range(POSTS_PER_PERSON - 15)]
    refused = post(deployment.gunicorn)
    second.close()
    assert statuses == [302] * POSTS_PER_PERSON
    assert refused.status_code == 429
    # Through nginx the person is the same address (X-Forwarded-For), and as refused.
    through_nginx = post(deployment.nginx)
    for response in (refused, through_nginx):
        assert response.status_code == 429
        assert "sent too many forms" in response.text
        assert 1 <= int(response.headers["Retry-After"]) <= 60
