"""Council API tokens: made, checked, listed and revoked.

A token reads `pg_` + 30 random base-62 characters + a 6-character base-62 CRC-32 of them, so a
secret scanner can recognise one (and rule out look-alikes) without asking us. It is shown once;
only its SHA-256 is stored. A council has at most two active tokens, so one can replace the other
without a gap; each expires within twelve months and can be revoked at once."""

from __future__ import annotations

import hashlib
import secrets
import string
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.api.models import ApiToken
from app.auth.audit import record_audit
from app.auth.models import User
from app.common.db_types import utcnow
from app.councils.models import Council
from app.extensions import db

PREFIX = "pg_"
SCOPES = {
    "pilots:write": _l("Create and edit draft pilots, their success measures and amendments"),
    "lifecycle:write": _l("Register, start, stop and withdraw pilots"),
    "updates:write": _l("Post progress updates"),
    "results:write": _l("File outcome reports"),
}
MAX_ACTIVE = 2
MAX_DAYS = 366
_ALPHABET = string.digits + string.ascii_letters
_RANDOM_LENGTH = 30


class TokenError(ValueError):
    """The token cannot be made as asked; `errors` maps each field to how to fix it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rest = divmod(number, 62)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits))


def _checksum(random_part: str) -> str:
    return _base62(zlib.crc32(random_part.encode()), 6)


def looks_like_token(text: str) -> bool:
    """Whether `text` has a token's shape and a right checksum (what a scanner checks)."""
    body = text[len(PREFIX) :]
    return (
        text.startswith(PREFIX)
        and len(body) == _RANDOM_LENGTH + 6
        and all(c in _ALPHABET for c in body)
        and _checksum(body[:_RANDOM_LENGTH]) == body[_RANDOM_LENGTH:]
    )


def hash_token(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def active_tokens(council: Council, now: datetime) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(
                ApiToken.council_id == council.id,
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at > now,
            )
            .order_by(ApiToken.created_at)
        )
    )


def council_tokens(council: Council) -> list[ApiToken]:
    """Every token the council has made, newest first (revoked and expired ones too)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.council_id == council.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_token(
    council: Council, name: str, scopes: list[str], days: int, author: User | None
) -> NewToken:
    """Make a token for the council; refuses a third active one, an unknown scope and an expiry
    past twelve months."""
    now = utcnow()
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = "Name the token after the system that will use it"
    elif len(name) > 80:
        errors["name"] = "The name must be 80 characters or fewer"
    if not scopes or any(s not in SCOPES for s in scopes):
        errors["scopes"] = "Choose what the token may do"
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = "The token must expire within 12 months"
    if len(active_tokens(council, now)) >= MAX_ACTIVE:
        errors["name"] = f"A council can have at most {MAX_ACTIVE} active tokens: revoke one first"
    if errors:
        raise TokenError(errors)
    random_part = "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_LENGTH))
    secret = PREFIX + random_part + _checksum(random_part)
    token = ApiToken(
        council_id=council.id,
        name=name,
        scopes=" ".join(s for s in SCOPES if s in scopes),
        token_hash=hash_token(secret),
        prefix=secret[:8],
        created_by=author,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    record_audit(author, "created", "api-token", token.id, name, council.id)
    db.session.commit()
    return NewToken(token, secret)


def revoke_token(token: ApiToken, author: User | None) -> None:
    """Stop the token working from the next request on."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_audit(author, "revoked", "api-token", token.id, token.name, token.council_id)
        db.session.commit()


def token_of_council(council: Council, token_id: int) -> ApiToken | None:
    return db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.council_id == council.id)
    )


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token for a secret, its last use noted; None for an unknown, revoked or
    expired one (they are all just 'not a valid token' to the caller)."""
    if not looks_like_token(secret):
        return None
    now = utcnow()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    # Noted at most once a minute, so a busy integration does not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        db.session.execute(
            ApiToken.__table__.update().where(ApiToken.id == token.id).values(last_used_at=now)
        )
        db.session.commit()
    return token
