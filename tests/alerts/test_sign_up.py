"""Signing up: double opt-in, a confirmation link that works once and for 7 days, and the limits
that stop the form being used against a stranger's inbox."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.alerts.models import Alert, AlertAddress, AlertSend
from app.extensions import db, limiter
from app.pilots.events import record_event
from tests.alerts.conftest import BASE_URL
from tests.auth.conftest import build_app, in_context
from tests.factories import create_council, create_pilot, create_programme

EMAIL = "reader@example.org"


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def link_in(message, path: str) -> str:
    body = message.get_content()
    line = next(line for line in body.splitlines() if line.startswith(BASE_URL + path))
    return line.removeprefix(BASE_URL)


def sign_up(client, query: str, email: str = EMAIL, frequency: str = "immediate"):
    return client.post(f"/alerts/new?{query}", data={"email": email, "frequency": frequency})


def test_nothing_is_sent_before_the_link_is_opened_and_the_link_works_once(client, jobs, mailbox):
    pilot = create_pilot(create_council(), title="Library chatbot")
    page = client.get(f"/alerts/new?pilot={pilot.slug}")
    assert page.status_code == 200 and "Library chatbot" in page.get_data(as_text=True)

    assert (
        sign_up(client, f"pilot={pilot.slug}")
        .headers["Location"]
        .endswith("/alerts/check-your-email")
    )
    record_event(pilot, "started", None, "Started")  # news before the address is confirmed
    db.session.commit()
    jobs.run()
    [confirmation] = mailbox.received
    assert confirmation["Subject"] == "Confirm your email alerts from Proving Ground"
    assert "Library chatbot" in confirmation.get_content()
    assert db.session.scalars(select(Alert.confirmed_at)).all() == [None]

    link = link_in(confirmation, "/alerts/confirm/")
    assert "Start my email alerts" in client.get(link).get_data(as_text=True)
    assert client.post(link).status_code == 302
    assert db.session.scalar(select(Alert.confirmed_at)) is not None
    used_again = client.post(link)
    assert used_again.status_code == 400
    assert "already been used" in used_again.get_data(as_text=True)
    assert client.get(link).status_code == 400


def test_a_confirmation_link_older_than_7_days_is_refused(client, app_ctx):
    pilot = create_pilot(create_council())
    sign_up(client, f"pilot={pilot.slug}")
    address = db.session.scalar(select(AlertAddress))

    class EightDaysAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 8 * 24 * 3600

    signer = URLSafeTimedSerializer(
        app_ctx.config["SECRET_KEY"], salt="alerts-confirm", signer=EightDaysAgo
    )
    old = signer.dumps({"a": address.id, "k": address.token_key, "n": address.confirm_nonce})
    response = client.post(f"/alerts/confirm/{old}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert db.session.scalar(select(Alert.confirmed_at)) is None


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("not an address", "Enter an email address in the correct format"),
        ("someone@localhost", "Enter an email address in the correct format"),
        (
            "a@example.org\r\nBcc: victim@example.net",
            "Enter an email address in the correct format",
        ),
        ("a@example.org\nSubject: hi", "Enter an email address in the correct format"),
        ("x" * 250 + "@example.org", "Enter an email address in the correct format"),
    ],
)
def test_what_is_not_an_address_is_refused_and_nothing_is_stored(client, email, message):
    pilot = create_pilot(create_council())
    response = sign_up(client, f"pilot={pilot.slug}", email=email)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert count(AlertAddress) == count(Alert) == 0


@pytest.mark.parametrize(
    "query",
    ["", "pilot=no-such-pilot", "council=ZZZ", "pillar=nothing", "programme=none", "search=",
     "search=q%3D", "pilot=a&council=b", "search=" + "q%3Dx" * 200],
)  # fmt: skip
def test_nothing_to_follow_is_a_clear_400(client, query):
    response = client.get(f"/alerts/new?{query}")
    assert response.status_code == 400


def test_a_draft_cannot_be_followed(client):
    draft = create_pilot(create_council(), status="draft")
    assert client.get(f"/alerts/new?pilot={draft.slug}").status_code == 400


def test_every_kind_of_subject_can_be_followed(client, app_ctx):

    council = create_council(code="ABC", nice_name="Abbeyton")
    programme = create_programme()
    for query in ("council=ABC", "pillar=inclusion", f"programme={programme.slug}",
                  "search=q%3Dchatbot%26status%3Drunning"):  # fmt: skip
        assert sign_up(client, query).status_code == 302, query
    kinds = db.session.execute(select(Alert.subject_kind, Alert.subject_key)).all()
    assert sorted(kinds) == sorted([
        ("council", council.code), ("pillar", "inclusion"), ("programme", programme.slug),
        ("search", "q=chatbot&status=running"),
    ])  # fmt: skip


def test_one_confirmation_email_an_hour_however_many_sign_ups_name_the_address(
    client, jobs, mailbox
):
    council = create_council()
    pilots = [create_pilot(council) for _ in range(5)]
    for pilot in pilots:
        assert sign_up(client, f"pilot={pilot.slug}").status_code == 302
    jobs.run()
    assert len(mailbox.to(EMAIL)) == 1
    assert count(Alert) == 5
    assert count(AlertSend) == 1


def test_a_thousand_sign_ups_for_one_address_stop_at_the_limit(client, app_ctx):
    from app.alerts import service
    from app.alerts.subjects import Subject

    limit = app_ctx.config["ALERTS_PER_ADDRESS"]
    refused = 0
    for n in range(1000):
        subject = Subject("search", f"q=word{n}", f"word{n}", "")
        try:
            service.sign_up(EMAIL, subject, "weekly", limit)
        except service.AlertInputError as error:
            assert f"at most {limit}" in str(error)
            refused += 1
    assert count(Alert) == limit == 50
    assert refused == 1000 - limit
    pilot = create_pilot(create_council())
    response = sign_up(client, f"pilot={pilot.slug}")
    assert response.status_code == 400
    assert "at most 50 things" in response.get_data(as_text=True)


def test_sign_ups_are_limited_per_address_of_the_sender(app, database_url, tmp_path):
    limited = build_app(database_url, tmp_path, RATELIMIT_ENABLED=True,
                        RATELIMIT_ALERT_SIGN_UPS="3 per hour")  # fmt: skip
    for ctx_app in in_context(limited):
        limiter.reset()
        pilot = create_pilot(create_council())
        client = ctx_app.test_client()
        statuses = [
            client.post(f"/alerts/new?pilot={pilot.slug}",
                        data={"email": f"n{n}@example.org", "frequency": "weekly"},
                        environ_base={"REMOTE_ADDR": "203.0.113.77"}).status_code
            for n in range(4)
        ]  # fmt: skip
        elsewhere = client.post(f"/alerts/new?pilot={pilot.slug}",
                                data={"email": "m@example.org", "frequency": "weekly"},
                                environ_base={"REMOTE_ADDR": "203.0.113.78"})  # fmt: skip
        assert statuses == [302, 302, 302, 429]
        assert elsewhere.status_code == 302
        assert count(AlertAddress) == 4
        limiter.reset()
    with limited.app_context():
        db.engine.dispose()


def test_following_again_what_an_address_already_follows_sends_nothing(client, jobs, mailbox):
    from tests.alerts.conftest import create_alert

    pilot = create_pilot(create_council())
    create_alert(EMAIL, "pilot", str(pilot.id))
    assert sign_up(client, f"pilot={pilot.slug}").status_code == 302
    jobs.run()
    assert mailbox.received == []
    assert count(Alert) == 1
