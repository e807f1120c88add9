"""Every state-changing route declares its permission with @requires; a test walks the URL map."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for

from app.auth.models import User
from app.auth.rate_limits import limit_form_posts
from app.auth.service import approved_memberships, current_user

F = TypeVar("F", bound=Callable[..., Any])

SIGNED_IN = "signed-in"
PUBLIC = "public"

# What each declared permission needs before the view's own object-level check runs: the roles
# of which the user must hold at least one (for any council). `None`: being signed in is enough.
# The view then checks the object (this pilot's lead council, this council's admins, ...).
PERMISSIONS: dict[str, frozenset[str] | None] = {
    SIGNED_IN: None,
    "join-council": None,
    "create-pilot": frozenset({"editor", "admin"}),
    "edit-pilot": frozenset({"editor", "admin"}),
    "register-pilot": frozenset({"editor", "admin"}),
    "amend-pilot": frozenset({"editor", "admin"}),
    "change-pilot-status": frozenset({"editor", "admin"}),
    "report-results": frozenset({"editor", "admin"}),
    "post-update": frozenset({"editor", "admin"}),
    "approve-extension": frozenset({"admin"}),
    "manage-council-members": frozenset({"council-admin", "admin"}),
    "manage-council-domains": frozenset({"council-admin", "admin"}),
    "manage-api-tokens": frozenset({"council-admin", "admin"}),
    "approve-council-domains": frozenset({"admin"}),
    "view-council-audit-log": frozenset({"council-admin", "admin"}),
    "view-audit-log": frozenset({"admin"}),
    "manage-roles": frozenset({"admin"}),
    "manage-funding": frozenset({"funder", "admin"}),
    "view-funding-dashboard": frozenset({"funder", "admin"}),
    "write-appraisal": frozenset({"editor", "admin"}),
    # Choosing what to try: editors write ideas; council admins run rounds and record the
    # decision; panel members declare interests and score in the rounds that name them.
    "write-ideas": frozenset({"editor", "admin"}),
    "view-council-ideas": frozenset({"editor", "council-admin", "admin"}),
    "manage-rounds": frozenset({"council-admin", "admin"}),
    "decide-rounds": frozenset({"council-admin", "admin"}),
    "declare-interests": frozenset({"panel-member", "admin"}),
    "score-rounds": frozenset({"panel-member", "admin"}),
    # Residents' priorities: the council's editors run consultations, its admins moderate.
    "edit-consultation": frozenset({"editor", "admin"}),
    "enter-offline-answers": frozenset({"editor", "admin"}),
    "moderate-comments": frozenset({"council-admin", "admin"}),
}


def may_hold(user: User, permission: str) -> bool:
    """Whether the user holds a role the permission needs, for some council or site-wide."""
    roles = PERMISSIONS[permission]
    return roles is None or any(m.role in roles for m in approved_memberships(user))


def requires(permission: str) -> Callable[[F], F]:
    """Declare the route's permission and check it: `public` lets anyone in; anything else
    sends a signed-out person to sign in and refuses (403) a signed-in one who holds none of the
    roles it needs. The view still checks the object itself.

    Every route it marks also gets the form-post rate limits (per user and per address).
    """
    if permission != PUBLIC and permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}: add it to PERMISSIONS")

    def decorate(view: F) -> F:
        limited = limit_form_posts(view)

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if permission != PUBLIC:
                user = current_user()
                if user is None:
                    return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
                if not may_hold(user, permission):
                    abort(403)
            return limited(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def authorise(allowed: bool) -> None:
    """Refuse with 403 unless the object-level check passed."""
    if not allowed:
        abort(403)
