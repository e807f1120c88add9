"""People, sign-in, roles and memberships of councils, sessions and the audit log."""

from __future__ import annotations

from typing import Any

from flask import Flask, g


def init_app(app: Flask) -> None:
    """Every template knows who is signed in (`current_user`)."""
    from app.auth.service import current_user

    @app.context_processor
    def _signed_in_user() -> dict[str, Any]:
        return {"current_user": current_user()}

    @app.before_request
    def _nobody_yet() -> None:
        g.pop("user", None)
