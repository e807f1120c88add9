"""Who may do what with a council's ideas and rounds (the routes' object-level checks).

Editors of the council write its ideas; its staff (editors and council admins) see the ideas it
has not published yet; council admins run its rounds and record decisions; panel members score
only in rounds whose panel names them. Registry admins may do everything.
"""

from __future__ import annotations

from app.auth import service as auth_service
from app.auth.memberships import can_admin_council
from app.auth.models import User
from app.choosing.models import Idea, Round


def may_write_ideas(user: User | None, council_id: int) -> bool:
    return auth_service.can_edit_for_council(user, council_id)


def may_see_private(user: User | None, council_id: int) -> bool:
    """Council staff see its unpublished ideas and draft rounds."""
    return auth_service.can_view_council_drafts(user, council_id)


def may_manage_rounds(user: User | None, council_id: int) -> bool:
    return can_admin_council(user, council_id)


def idea_visible(user: User | None, idea: Idea) -> bool:
    return idea.is_published or may_see_private(user, idea.council_id)


def round_visible(user: User | None, round_: Round) -> bool:
    return round_.is_public or may_see_private(user, round_.council_id)


def on_panel(user: User | None, round_: Round) -> bool:
    return user is not None and any(p.user_id == user.id for p in round_.panel)
