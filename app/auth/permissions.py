"""Every state-changing route declares its permission with @requires; a test walks the URL map."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for

from app.auth.rate_limits import limit_form_posts
from app.auth.service import current_user

F = TypeVar("F", bound=Callable[..., Any])

# What each declared permission needs before the view's own object-level check runs.
SIGNED_IN = "signed-in"
PUBLIC = "public"


def requires(permission: str) -> Callable[[F], F]:
    """Declare the route's permission; anything but `public` needs a signed-in user.

    Every route it marks also gets the form-post rate limits (per user and per address).
    """

    def decorate(view: F) -> F:
        limited = limit_form_posts(view)

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if permission != PUBLIC and current_user() is None:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            return limited(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def authorise(allowed: bool) -> None:
    """Refuse with 403 unless the object-level check passed."""
    if not allowed:
        abort(403)
