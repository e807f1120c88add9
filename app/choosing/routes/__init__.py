"""The pages of ideas and rounds, one blueprint: writing and publishing ideas (ideas.py), setting
up and running a round (rounds.py), declaring and scoring (panel.py), the decision and the
round's open data (decision.py)."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Blueprint, abort, render_template, request

from app.auth import service as auth_service
from app.choosing import access, lifecycle
from app.choosing.ideas import get_idea
from app.choosing.models import Idea, Round
from app.common.forms import add_errors

bp = Blueprint("choosing", __name__)


def visible_idea(idea_id: int) -> Idea:
    """The idea, if this person may see it (unpublished: only its council's staff); else 404."""
    idea = get_idea(idea_id)
    if idea is None or not access.idea_visible(auth_service.current_user(), idea):
        abort(404)
    return idea


def visible_round(round_id: int) -> Round:
    """The round, if this person may see it (a draft only its council's staff); else 404."""
    round_ = lifecycle.get_round(round_id)
    if round_ is None or not access.round_visible(auth_service.current_user(), round_):
        abort(404)
    return round_


def managed_round(round_id: int) -> Round:
    """The round, if this person runs its council's rounds; else 403."""
    round_ = visible_round(round_id)
    if not access.may_manage_rounds(auth_service.current_user(), round_.council_id):
        abort(403)
    return round_


def form_page(template: str, **context: Any) -> tuple[str, int]:
    """A form's page: 400 when it comes back from a submission with errors."""
    return render_template(template, **context), 400 if request.method == "POST" else 200


def show_errors(form: Any, errors: dict[str, str]) -> None:
    """A service's errors on the form's fields; one about the whole action on its first field."""
    named = {name: message for name, message in errors.items() if name and name in form}
    add_errors(form, named)
    rest = [message for name, message in errors.items() if name not in named]
    if rest:
        first = next(field for field in form if field.name != "csrf_token")
        first.errors = [*first.errors, *rest]


def expired_form() -> NoReturn:
    abort(400, "The form had expired. Go back and try again.")


from app.choosing.routes import appraisal, decision, ideas, panel, rounds  # noqa: E402, F401
