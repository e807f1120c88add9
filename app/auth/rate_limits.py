"""Rate limits: on sign-in, and on every form post, per user and per address.

Limits are strings such as "10 per minute"; they can be changed with the RATELIMIT_SIGN_IN,
RATELIMIT_FORM_POSTS_PER_USER and RATELIMIT_FORM_POSTS_PER_ADDRESS settings. Breaches are
answered by the 429 error page, with Retry-After (app/common/web.py).

The counts live in RATELIMIT_STORAGE_URI. `memory://` keeps them inside each process: under
gunicorn with several workers each worker counts alone, so a person gets the limit once per
worker (with two workers one person's first refusal came at post 59 against a limit of 30).
gunicorn.conf.py calls check_limit_storage() as it starts: production refuses to start so, and
elsewhere it is logged as a warning. Use Redis (`redis://…`), shared by every worker and server.
"""

from __future__ import annotations

from collections.abc import Callable
from logging import Logger
from typing import Any

from flask import Flask, current_app
from flask_limiter.util import get_remote_address

from app.auth.service import current_user
from app.extensions import limiter

SIGN_IN = "10 per minute"
FORM_POSTS_PER_USER = "30 per minute"
FORM_POSTS_PER_ADDRESS = "60 per minute"
TOO_MANY_SIGN_INS = "You have tried to sign in too many times. Wait a minute, then try again."
TOO_MANY_POSTS = "You have sent too many forms in a short time. Wait a minute, then try again."


@limiter.request_filter
def _off_for_this_app() -> bool:
    # The limiter is one object shared by every app built in a process (the tests build several);
    # each app's own RATELIMIT_ENABLED decides for its requests.
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def _setting(name: str, default: str) -> Callable[[], str]:
    return lambda: str(current_app.config.get(name) or default)


def _user_or_address() -> str:
    user = current_user()
    return f"user:{user.id}" if user else f"address:{get_remote_address()}"


sign_in_limit = limiter.shared_limit(
    _setting("RATELIMIT_SIGN_IN", SIGN_IN),
    scope="sign-in",
    key_func=get_remote_address,
    error_message=TOO_MANY_SIGN_INS,
)

# The development sign-in shares the real sign-in's allowance; only its POST is an attempt (the
# GET shows the list of demo users).
dev_sign_in_limit = limiter.shared_limit(
    _setting("RATELIMIT_SIGN_IN", SIGN_IN),
    scope="sign-in",
    key_func=get_remote_address,
    methods=["POST"],
    error_message=TOO_MANY_SIGN_INS,
)


def limit_form_posts(view: Any) -> Any:
    """Limit POSTs to the view per signed-in user (or address when anonymous) and per address."""
    per_user = limiter.limit(
        _setting("RATELIMIT_FORM_POSTS_PER_USER", FORM_POSTS_PER_USER),
        key_func=_user_or_address,
        methods=["POST"],
        error_message=TOO_MANY_POSTS,
    )
    per_address = limiter.limit(
        _setting("RATELIMIT_FORM_POSTS_PER_ADDRESS", FORM_POSTS_PER_ADDRESS),
        key_func=get_remote_address,
        methods=["POST"],
        error_message=TOO_MANY_POSTS,
    )
    return per_address(per_user(view))


def check_limit_storage(app: Flask, workers: int, log: Logger) -> None:
    """Refuse to serve production, or warn elsewhere, when `workers` processes would each keep
    their own counts (memory://), multiplying every limit by the number of workers."""
    storage = str(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    if workers < 2 or not storage.startswith("memory://") or not app.config["RATELIMIT_ENABLED"]:
        return
    message = (
        f"RATELIMIT_STORAGE_URI is {storage} with {workers} workers: each worker counts alone, "
        f"so every rate limit allows {workers} times as much. "
        "Set RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 (a Redis every worker shares)."
    )
    if app.config["APP_ENV"] == "production":
        log.error(message)
        raise SystemExit(1)
    log.warning(message)
