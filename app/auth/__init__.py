"""People, sign-in, roles and memberships of councils, sessions and the audit log."""

from __future__ import annotations

from typing import Any

from flask import Flask, g


def init_app(app: Flask) -> None:
    """Every template knows who is signed in (`current_user`), whether they hold a council
    role (`has_council_role`: the header then links to their council's pilots) and, for a
    council admin, how many people wait to join their councils (`waiting_to_join`)."""
    from app.auth.service import current_user, has_council_role
    from app.auth.waiting import waiting_requests

    @app.context_processor
    def _signed_in_user() -> dict[str, Any]:
        user = current_user()
        return {
            "current_user": user,
            "has_council_role": has_council_role(user),
            "waiting_to_join": sum(count for _, count in waiting_requests(user)),
        }

    @app.before_request
    def _nobody_yet() -> None:
        g.pop("user", None)
