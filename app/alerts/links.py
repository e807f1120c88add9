"""Signed links in alert emails: confirm (7 days, once), manage (all of an address's alerts) and
one-click unsubscribe (the alerts an email was about).

Each link is signed with SECRET_KEY under its own salt and names the address's random
`token_key`, so nothing in it can be guessed or changed: another address's id, another alert's id
or a link of one kind used as another all fail the signature or the key."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.alerts.models import AlertAddress

CONFIRM_MAX_AGE = 7 * 24 * 3600


class LinkInvalid(ValueError):
    """A link that was not made here, was changed, or names what no longer exists."""


class LinkExpired(LinkInvalid):
    """A confirmation link older than 7 days."""


def _signer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"alerts-{purpose}")


def make_token(purpose: str, address: AlertAddress, **claims: Any) -> str:
    return _signer(purpose).dumps({"a": address.id, "k": address.token_key, **claims})


def read_token(purpose: str, token: str, max_age: int | None = None) -> dict[str, Any]:
    """The claims of a link of this purpose; raises LinkExpired or LinkInvalid."""
    try:
        claims = _signer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkExpired("This link has expired.") from None
    except BadSignature:
        raise LinkInvalid("This link is not valid.") from None
    if not isinstance(claims, dict) or not isinstance(claims.get("a"), int):
        raise LinkInvalid("This link is not valid.")
    return claims


def external(endpoint: str, **values: Any) -> str:
    """An absolute https address on SERVER_BASE_URL (emails are read away from the site)."""
    base = current_app.config.get("SERVER_BASE_URL")
    path = url_for(endpoint, **values)
    return f"{base}{path}" if base else url_for(endpoint, _external=True, **values)


def confirm_url(address: AlertAddress) -> str:
    return external("alerts.confirm", token=make_token("confirm", address, n=address.confirm_nonce))


def manage_url(address: AlertAddress) -> str:
    return external("alerts.manage", token=make_token("manage", address))


def unsubscribe_url(address: AlertAddress, alert_ids: list[int]) -> str:
    return external("alerts.unsubscribe", token=make_token("unsubscribe", address, al=alert_ids))
