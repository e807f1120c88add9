"""Delivery backends, chosen by MAIL_BACKEND: `smtp` (smtplib), `notify` (GOV.UK Notify, one
template by id whose subject and body the app fills) and `log` (development: the worker's log).

Every email is plain text with RFC 8058 one-click unsubscribe headers and a link to manage every
alert of the address; no HTML, so no images and no tracking pixels."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import parseaddr
from typing import Protocol, cast

from flask import current_app
from notifications_python_client.notifications import NotificationsAPIClient

log = logging.getLogger(__name__)
EXTENSION_KEY = "alerts.mail_backend"


class HeaderInjection(ValueError):
    """A CR or LF in a value bound for a header: refused, never folded into a new header."""


@dataclass(frozen=True)
class OutgoingEmail:
    key: str  # the send's idempotency key: also its Message-ID and Notify reference
    to: str
    subject: str
    body: str
    unsubscribe_url: str
    manage_url: str


class MailBackend(Protocol):
    def send(self, email: OutgoingEmail) -> None: ...


def header_value(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise HeaderInjection("a header value may not hold a line break")
    return value


def mime_message(email: OutgoingEmail, sender: str) -> EmailMessage:
    """The message as a mail server gets it."""
    message = EmailMessage(policy=SMTP)
    name, sender_address = parseaddr(header_value(sender))
    domain = sender_address.rpartition("@")[2] or "localhost"
    message["From"] = Address(name, addr_spec=sender_address) if name else sender_address
    message["To"] = header_value(email.to)
    message["Subject"] = header_value(email.subject)
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:32]
    # Derived from the send's key: a copy sent twice would carry the same id.
    message["Message-ID"] = f"<{digest}@{domain}>"
    message["List-Unsubscribe"] = f"<{header_value(email.unsubscribe_url)}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.body)
    return message


class SmtpBackend:
    def send(self, email: OutgoingEmail) -> None:
        config = current_app.config
        message = mime_message(email, config["MAIL_FROM"])
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as server:
            if config["SMTP_STARTTLS"]:
                server.starttls()
            if config["SMTP_USERNAME"]:
                server.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            server.send_message(message)


class NotifyBackend:
    def send(self, email: OutgoingEmail) -> None:
        config = current_app.config
        header_value(email.subject)
        header_value(email.to)
        client = NotificationsAPIClient(
            config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"]
        )
        client.send_email_notification(
            email_address=email.to,
            template_id=config["NOTIFY_TEMPLATE_ID"],
            personalisation={"subject": email.subject, "body": email.body},
            reference=email.key,
            one_click_unsubscribe_url=email.unsubscribe_url,
        )


class LogBackend:
    def send(self, email: OutgoingEmail) -> None:
        log.warning(
            "Email (MAIL_BACKEND=log):\n%s", mime_message(email, current_app.config["MAIL_FROM"])
        )


def mail_backend() -> MailBackend:
    """The configured backend (or one installed in app.extensions[EXTENSION_KEY])."""
    installed = current_app.extensions.get(EXTENSION_KEY)
    if installed is not None:
        return cast(MailBackend, installed)
    backends: dict[str, type[MailBackend]] = {
        "smtp": SmtpBackend, "notify": NotifyBackend, "log": LogBackend,
    }  # fmt: skip
    return backends[current_app.config["MAIL_BACKEND"]]()
