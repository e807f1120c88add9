"""Sending one email once.

The order is: record the intent (a row under the email's unique key, committed), send, mark it
sent. A retried job that finds the key sends nothing. What that guarantees, honestly:

- the send itself fails (the mail server or Notify refuses or is down): the intent is removed
  and the job's retry sends it again;
- the worker dies after the intent and before the mark (killed mid-send, or after the server took
  the message): the retry finds the key and does not send. The recipient gets **at most one**
  copy: if the worker died before the server took the message, that one email is lost, and its
  row stays with `sent_at` empty, for someone to see.

An email sent twice is the failure people notice and report as spam; one lost alert is not."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from app.alerts.delivery import OutgoingEmail, mail_backend
from app.alerts.models import AlertSend
from app.common.db_types import utcnow
from app.extensions import db


def deliver_once(address_id: int, key: str, build: Callable[[], OutgoingEmail]) -> bool:
    """Send the email `build` makes unless one under `key` was already sent or attempted; True
    if it was sent now."""
    send = AlertSend(key=key, address_id=address_id)
    db.session.add(send)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    try:
        mail_backend().send(build())
    except Exception:
        db.session.rollback()
        db.session.delete(send)
        db.session.commit()
        raise
    send.sent_at = utcnow()
    db.session.commit()
    return True
