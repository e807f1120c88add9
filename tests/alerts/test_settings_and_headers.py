"""The alerts' settings refuse what cannot work, and no value reaches a header with a line break."""

from __future__ import annotations

import pytest

from app.alerts.delivery import HeaderInjection, OutgoingEmail, mime_message
from config.settings import ConfigError, load_settings

PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "k", "DATABASE_URL": "postgresql://a@b/c"}


def test_production_sends_real_email_and_notify_needs_its_key_and_template():
    assert load_settings(PRODUCTION)["MAIL_BACKEND"] == "smtp"
    assert load_settings({"APP_ENV": "development"})["MAIL_BACKEND"] == "log"
    with pytest.raises(ConfigError, match="smtp or notify"):
        load_settings({**PRODUCTION, "MAIL_BACKEND": "log"})
    with pytest.raises(ConfigError, match="NOTIFY_API_KEY"):
        load_settings({**PRODUCTION, "MAIL_BACKEND": "notify"})


def email(**changed: str) -> OutgoingEmail:
    values = {
        "key": "k", "to": "a@example.org", "subject": "Hello", "body": "Body",
        "unsubscribe_url": "https://r.example/u", "manage_url": "https://r.example/m",
    }  # fmt: skip
    return OutgoingEmail(**{**values, **changed})


@pytest.mark.parametrize(
    "changed",
    [
        {"to": "a@example.org\r\nBcc: b@example.org"},
        {"subject": "Hi\nBcc: b@example.org"},
        {"unsubscribe_url": "https://r.example/u\r\nX: y"},
    ],
)
def test_a_line_break_bound_for_a_header_is_refused(changed):
    with pytest.raises(HeaderInjection):
        mime_message(email(**changed), "Proving Ground <alerts@r.example>")


def test_the_sender_may_not_carry_a_line_break_either():
    with pytest.raises(HeaderInjection):
        mime_message(email(), "Proving Ground <alerts@r.example>\r\nBcc: b@example.org")
    message = mime_message(email(), "Proving Ground <alerts@r.example>")
    assert message["Message-ID"].endswith("@r.example>")
    assert message["List-Unsubscribe"] == "<https://r.example/u>"
