"""The words of each email: confirmation, one piece of news, a weekly digest. Plain text; every
one ends with the link to manage all of the address's alerts and the one to stop these."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from app.alerts.delivery import OutgoingEmail
from app.alerts.links import confirm_url, external, manage_url, unsubscribe_url
from app.alerts.models import Alert, AlertAddress
from app.alerts.notices import Notice
from app.alerts.subjects import subject_of

SITE = "Proving Ground"
KIND_LABELS = {
    "registered": "Registered",
    "amended": "Amended",
    "started": "Started",
    "concluded": "Concluded",
    "stopped": "Stopped",
    "withdrawn": "Withdrawn",
    "progress": "Progress update",
}


def one_line(text: str, limit: int = 150) -> str:
    """Text fit for a Subject: any run of whitespace (CR and LF included) becomes one space, so a
    pilot's title can never start a header of its own."""
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _footer(address: AlertAddress, alert_ids: list[int], why: str) -> tuple[str, str, str]:
    manage, stop = manage_url(address), unsubscribe_url(address, alert_ids)
    text = "\n".join([
        "",
        "-- ",
        why,
        _("Manage all your alerts: %(url)s", url=manage),
        _("Stop these emails: %(url)s", url=stop),
        _("What we store and why: %(url)s", url=external("alerts.privacy")),
    ])  # fmt: skip
    return text, stop, manage


def _notice_lines(notice: Notice) -> list[str]:
    pilot_url = external("pilots.show", slug=notice.pilot.slug)
    label = _(KIND_LABELS.get(notice.kind, notice.kind))
    return [f"{label}: {one_line(notice.pilot.title, 300)}", notice.text.strip(), pilot_url, ""]


def confirmation_email(address: AlertAddress, key: str) -> OutgoingEmail:
    waiting = [a for a in address.alerts if a.confirmed_at is None]
    lines = [
        _("Someone, probably you, asked for email alerts from %(site)s about:", site=SITE),
        "",
        *(f"- {one_line(subject_of(a).title, 300)}" for a in waiting),
        "",
        _("To start them, open this link within 7 days and press the button:"),
        confirm_url(address),
        "",
        _("If you did not ask for these, ignore this email: nothing will be sent."),
    ]
    footer, stop, manage = _footer(
        address, [a.id for a in waiting], _("You have this email because of a sign-up.")
    )
    subject = _("Confirm your email alerts from %(site)s", site=SITE)
    return OutgoingEmail(key, address.email, subject, "\n".join(lines) + footer, stop, manage)


def notice_email(alert: Alert, notice: Notice, key: str) -> OutgoingEmail:
    subject = subject_of(alert)
    label = _(KIND_LABELS.get(notice.kind, notice.kind))
    footer, stop, manage = _footer(
        alert.address, [alert.id], _("You follow %(what)s.", what=one_line(subject.title, 300))
    )
    return OutgoingEmail(
        key, alert.address.email, one_line(f"{label}: {notice.pilot.title}"),
        "\n".join(_notice_lines(notice)) + footer, stop, manage,
    )  # fmt: skip


def digest_email(
    address: AlertAddress, news: list[tuple[Alert, list[Notice]]], key: str
) -> OutgoingEmail:
    lines = [_("This week on %(site)s:", site=SITE), ""]
    for alert, notices in news:
        lines += [one_line(subject_of(alert).title, 300), "=" * 20, ""]
        for notice in notices:
            lines += _notice_lines(notice)
    footer, stop, manage = _footer(
        address, [alert.id for alert, _n in news], _("You asked for a weekly digest.")
    )
    subject = _("Your weekly digest from %(site)s", site=SITE)
    return OutgoingEmail(key, address.email, subject, "\n".join(lines) + footer, stop, manage)
