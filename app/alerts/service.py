"""Signing up for alerts, confirming them, and managing or leaving them from a signed link.

Double opt-in: a new alert is stored unconfirmed and nothing is sent for it until the person
opens the confirmation link mailed to the address (valid 7 days, once). One confirmation email
per address per hour at most, however many sign-ups name it: a stranger's address cannot be
mail-bombed through the form. Every action is one transaction; emails are queued after it."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, exists, select

from app.alerts.links import CONFIRM_MAX_AGE, LinkInvalid, read_token
from app.alerts.models import FREQUENCIES, Alert, AlertAddress
from app.alerts.queue import enqueue_after_commit
from app.alerts.subjects import Subject
from app.auth.models import User
from app.common.conflicts import retry_on_conflict
from app.common.db_types import utcnow
from app.extensions import db

CONFIRMATION_INTERVAL = timedelta(hours=1)
# RFC 5321's longest path; a local part, an @ and a domain with a dot, no spaces or controls.
MAX_EMAIL_LENGTH = 254
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class AlertInputError(ValueError):
    """Input to refuse; the message says what to change."""


@dataclass(frozen=True)
class SignUp:
    confirmation_queued: bool


def normalise_email(raw: str) -> str:
    """The address as stored (domain in lower case); refuses anything that is not one, and any
    CR or LF, which could otherwise add headers to an email."""
    value = (raw or "").strip()
    if not value:
        raise AlertInputError("Enter your email address")
    if len(value) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(value):
        raise AlertInputError("Enter an email address in the correct format, like name@example.com")
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def _address_for(email: str) -> AlertAddress:
    found = db.session.scalar(select(AlertAddress).where(AlertAddress.email == email))
    if found is None:
        found = AlertAddress(email=email)
        db.session.add(found)
        db.session.flush()
    return found


def sign_up(raw_email: str, subject: Subject, frequency: str, limit: int) -> SignUp:
    """Store an unconfirmed alert and queue a confirmation email (at most one an hour per
    address). The answer is the same whether the address was known or not."""
    if frequency not in FREQUENCIES:
        raise AlertInputError("Choose how often to get emails")
    email = normalise_email(raw_email)
    # Two sign-ups for a new address at once: the second looks again and finds the first's row.
    return retry_on_conflict(lambda: _sign_up(email, subject, frequency, limit))


def _sign_up(email: str, subject: Subject, frequency: str, limit: int) -> SignUp:
    address = _address_for(email)
    existing = next(
        (
            a
            for a in address.alerts
            if (a.subject_kind, a.subject_key) == (subject.kind, subject.key)
        ),
        None,
    )
    if existing is None:
        if len(address.alerts) >= limit:
            db.session.rollback()
            raise AlertInputError(
                f"An address can follow at most {limit} things. Stop some alerts from the "
                "link in any alert email, then try again."
            )
        address.alerts.append(Alert(subject_kind=subject.kind, subject_key=subject.key,
                                    frequency=frequency))  # fmt: skip
    now = utcnow()
    sent = address.confirmation_sent_at
    waiting = any(alert.confirmed_at is None for alert in address.alerts)
    queued = waiting and (sent is None or now - sent >= CONFIRMATION_INTERVAL)
    if queued:
        address.confirm_nonce = secrets.token_urlsafe(12)
        address.confirmation_sent_at = now
        enqueue_after_commit(db.session(), "send_confirmation", address.id, address.confirm_nonce)
    db.session.commit()
    return SignUp(confirmation_queued=queued)


def _address_from(
    purpose: str, token: str, max_age: int | None = None
) -> tuple[AlertAddress, dict]:
    claims = read_token(purpose, token, max_age)
    address = db.session.get(AlertAddress, claims["a"])
    if address is None or not secrets.compare_digest(address.token_key, str(claims.get("k"))):
        raise LinkInvalid("This link is not valid. The alerts it was for may have been stopped.")
    return address, claims


def address_to_confirm(token: str) -> AlertAddress:
    """The address a confirmation link is for; raises LinkExpired (after 7 days) or LinkInvalid
    (changed, or already used)."""
    address, claims = _address_from("confirm", token, CONFIRM_MAX_AGE)
    nonce = address.confirm_nonce
    if nonce is None or not secrets.compare_digest(nonce, str(claims.get("n"))):
        raise LinkInvalid("This link has already been used, or a newer one has been sent.")
    return address


def confirm(token: str) -> AlertAddress:
    """Confirm every waiting alert of the link's address; the link then works no more."""
    address = address_to_confirm(token)
    now = utcnow()
    for alert in address.alerts:
        alert.confirmed_at = alert.confirmed_at or now
    address.confirm_nonce = None
    db.session.commit()
    return address


def address_to_manage(token: str) -> AlertAddress:
    """The address a manage link (in every email) is for; raises LinkInvalid."""
    return _address_from("manage", token)[0]


def _forget_if_empty(address: AlertAddress) -> bool:
    """An address is kept only for its alerts: with none left, it goes (and its sends)."""
    db.session.flush()
    db.session.expire(address, ["alerts"])
    if not address.alerts:
        db.session.delete(address)
        return True
    return False


def _own_alert(address: AlertAddress, alert_id: int) -> Alert:
    alert = next((a for a in address.alerts if a.id == alert_id), None)
    if alert is None:
        raise AlertInputError("That alert has already been stopped.")
    return alert


def stop_alert(address: AlertAddress, alert_id: int) -> bool:
    """Stop one of the address's alerts; True if that was its last (the address is deleted)."""
    db.session.delete(_own_alert(address, alert_id))
    gone = _forget_if_empty(address)
    db.session.commit()
    return gone


def stop_all(address: AlertAddress) -> None:
    """Stop every alert and delete the address."""
    db.session.delete(address)
    db.session.commit()


def change_frequency(address: AlertAddress, alert_id: int, frequency: str) -> None:
    """Immediate emails or a weekly digest, for one alert."""
    if frequency not in FREQUENCIES:
        raise AlertInputError("Choose how often to get emails")
    _own_alert(address, alert_id).frequency = frequency
    db.session.commit()


def unsubscribe(token: str) -> int:
    """One-click unsubscribe (RFC 8058): stop the alerts the email was about. Returns how many
    were stopped; 0 when they had already gone (the same link posted twice)."""
    address, claims = _address_from("unsubscribe", token)
    ids = claims.get("al")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise LinkInvalid("This link is not valid.")
    stopped = db.session.execute(
        delete(Alert).where(Alert.address_id == address.id, Alert.id.in_(ids))
    ).rowcount  # type: ignore[attr-defined]
    _forget_if_empty(address)
    db.session.commit()
    return stopped


def address_of_user(user: User) -> AlertAddress | None:
    """The alerts address matching a signed-in person's verified email, if they have alerts."""
    if not user.email or not user.email_verified:
        return None
    try:
        email = normalise_email(user.email)
    except AlertInputError:
        return None
    return db.session.scalar(select(AlertAddress).where(AlertAddress.email == email))


def forget_unconfirmed(days: int = 7) -> int:
    """Drop alerts never confirmed within a week, and addresses left with none."""
    cutoff = utcnow() - timedelta(days=days)
    removed = db.session.execute(
        delete(Alert).where(Alert.confirmed_at.is_(None), Alert.created_at < cutoff)
    ).rowcount  # type: ignore[attr-defined]
    empty = ~exists().where(Alert.address_id == AlertAddress.id)
    db.session.execute(delete(AlertAddress).where(empty))
    db.session.commit()
    return removed
