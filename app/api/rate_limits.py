"""The API's rate limits: per token for councils' systems, per address for anonymous readers,
counted in the limiter's shared storage (RATELIMIT_STORAGE_URI: Redis in production, so every
worker counts together). Each answer says where the caller stands in RateLimit-Limit,
RateLimit-Remaining and RateLimit-Reset (seconds), the IETF draft's headers; past the limit the
answer is a problem+json 429 with Retry-After (app/common/web.py, through api's responder).

Limits are settings: API_RATELIMIT_PER_ADDRESS and API_RATELIMIT_PER_TOKEN."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from flask import Blueprint, Response, current_app, request
from flask_limiter.util import get_remote_address

from app.extensions import limiter

PER_ADDRESS = "300 per minute"
PER_TOKEN = "1200 per minute"  # noqa: S105  (a rate, not a secret)


def _setting(name: str, default: str) -> Callable[[], str]:
    return lambda: str(current_app.config.get(name) or default)


def _bearer() -> str:
    scheme, _, secret = request.headers.get("Authorization", "").strip().partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def _token_key() -> str:
    # The secret's hash, not the token row: counting must not need the database, and a stream of
    # made-up tokens is counted per address as well.
    return "api-token:" + hashlib.sha256(_bearer().encode()).hexdigest()[:24]


def _outside_the_api() -> bool:
    return not request.path.startswith("/api/v1/")


def limit_api(bp: Blueprint) -> None:
    """Every /api/v1 request is counted per address, and a token's also per token."""
    limiter.limit(
        _setting("API_RATELIMIT_PER_ADDRESS", PER_ADDRESS),
        key_func=get_remote_address,
        scope="api-address",
        exempt_when=_outside_the_api,
    )(bp)
    limiter.limit(
        _setting("API_RATELIMIT_PER_TOKEN", PER_TOKEN),
        key_func=_token_key,
        scope="api-token",
        exempt_when=lambda: _outside_the_api() or not _bearer(),
    )(bp)


def add_rate_limit_headers(response: Response) -> Response:
    """Where the caller stands against the nearest limit this request was counted under."""
    current = limiter.current_limit if not _outside_the_api() else None
    if current is not None:
        response.headers["RateLimit-Limit"] = str(current.limit.amount)
        response.headers["RateLimit-Remaining"] = str(max(0, current.remaining))
        response.headers["RateLimit-Reset"] = str(max(0, int(current.reset_at - time.time())))
    return response
