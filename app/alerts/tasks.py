"""The queue's jobs. Each runs in the worker (`flask alerts worker`), inside the app and a request
context on SERVER_BASE_URL so that links in emails are the site's public addresses; each sends
through `deliver_once`, so a retried job never sends a second copy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import select

from app.alerts.messages import confirmation_email, digest_email, notice_email
from app.alerts.models import Alert, AlertAddress
from app.alerts.notices import (
    Notice,
    alerts_concerned,
    concerns,
    load_notice,
    notices_between,
    subjects_of,
)
from app.alerts.queue import enqueue_now
from app.alerts.sending import deliver_once
from app.extensions import db

F = TypeVar("F", bound=Callable[..., Any])


def _in_request(job: F) -> F:
    @wraps(job)
    def run(*args: Any) -> Any:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        base = app.config.get("SERVER_BASE_URL") or "http://127.0.0.1:5000"
        with app.test_request_context(base_url=base):
            try:
                return job(*args)
            finally:
                db.session.remove()

    return run  # type: ignore[return-value]


@_in_request
def send_confirmation(address_id: int, nonce: str) -> bool:
    """Mail the confirmation link, unless a newer one has replaced it or it was used."""
    address = db.session.get(AlertAddress, address_id)
    if address is None or address.confirm_nonce != nonce:
        return False
    key = f"confirm:{address_id}:{nonce}"
    return deliver_once(address_id, key, lambda: confirmation_email(address, key))


@_in_request
def deliver_notice(ref: str) -> int:
    """Mail one piece of news to every confirmed immediate alert it concerns; returns how many
    emails went now."""
    notice = load_notice(ref)
    if notice is None:
        return 0
    sent = 0
    for alert in alerts_concerned(notice, "immediate"):
        sent += _deliver_notice(alert, notice)
    return sent


def _deliver_notice(alert: Alert, notice: Notice) -> bool:
    key = f"notice:{alert.id}:{notice.ref}"
    return deliver_once(alert.address_id, key, lambda: notice_email(alert, notice, key))


def digest_period(now: datetime) -> tuple[datetime, datetime]:
    """The whole ISO week (Monday 00:00 UTC to Monday) before the one `now` is in."""
    this_monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return this_monday - timedelta(days=7), this_monday


def queue_digests(now: datetime) -> int:
    """Queue a digest job for every address with a confirmed weekly alert; returns how many."""
    start, _end = digest_period(now)
    ids = list(
        db.session.scalars(
            select(Alert.address_id)
            .where(Alert.frequency == "weekly", Alert.confirmed_at.is_not(None))
            .distinct()
        )
    )
    for address_id in ids:
        enqueue_now("send_digest", address_id, start.isoformat())
    return len(ids)


@_in_request
def send_digest(address_id: int, start_iso: str) -> bool:
    """One address's digest of the week from `start_iso`: nothing if it has no weekly alerts left
    or nothing happened to what they follow."""
    address = db.session.get(AlertAddress, address_id)
    if address is None:
        return False
    start = datetime.fromisoformat(start_iso)
    notices = notices_between(start, start + timedelta(days=7))
    weekly = [a for a in address.alerts if a.frequency == "weekly" and a.confirmed_at]
    news: list[tuple[Alert, list[Notice]]] = []
    for alert in weekly:
        found = [n for n in notices if concerns(alert, n, subjects_of(n.pilot))]
        if found:
            news.append((alert, found))
    if not news:
        return False
    key = f"digest:{address_id}:{start.date().isoformat()}"
    return deliver_once(address_id, key, lambda: digest_email(address, news, key))
