"""The pilot's pages, one blueprint: the listing and the pilot's page (pages.py), writing and
editing it and its measures (editing.py), registering, starting, stopping, withdrawing and
amending it (lifecycle.py), its outcome report (results.py), and progress updates, report
extensions and the overdue list (reporting.py)."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Blueprint, abort, render_template, request

from app.auth import service as auth_service
from app.auth.permissions import authorise
from app.pilots import service
from app.pilots.models import Pilot

bp = Blueprint("pilots", __name__)


def visible_pilot(slug: str) -> Pilot:
    """The pilot, if the signed-in user may see it; else 404 (a draft is not there for anyone
    outside its council)."""
    pilot = service.pilot_visible_to(auth_service.current_user(), slug)
    if pilot is None:
        abort(404)
    return pilot


def editable_pilot(slug: str) -> Pilot:
    """The pilot, if the signed-in user edits for its lead council (or is an admin); else 403."""
    pilot = visible_pilot(slug)
    authorise(auth_service.can_edit_for_council(auth_service.current_user(), pilot.lead_council_id))
    return pilot


def form_page(template: str, **context: Any) -> tuple[str, int]:
    """A form's page: 400 when it comes back from a submission with errors."""
    return render_template(template, **context), 400 if request.method == "POST" else 200


def expired_form() -> NoReturn:
    abort(400, "The form had expired. Go back and try again.")


from app.pilots.routes import (  # noqa: E402, F401
    editing,
    lifecycle,
    pages,
    reporting,
    results,
    worklist,
)
