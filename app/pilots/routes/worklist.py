"""Your council's pilots: the way back to a draft, and what else is waiting on its editors."""

from __future__ import annotations

from flask import abort, render_template, request, url_for

from app.auth import service as auth_service
from app.auth.permissions import SIGNED_IN, requires
from app.common.db_types import utcnow
from app.common.pagination import page_number
from app.pilots import worklist
from app.pilots.routes import bp


@bp.get("/your-pilots")
@requires(SIGNED_IN)
def your_pilots() -> str:
    group = request.args.get("group") or None
    if group is not None and group not in worklist.GROUPS:
        abort(400, "Choose drafts, registered, updates-due or reports-due.")
    page = page_number(request.args.get("page"))
    user = auth_service.current_user()
    has_worklist = auth_service.has_council_role(user)
    return render_template(
        "pilots/your-pilots.html",
        has_worklist=has_worklist,
        groups=worklist.your_pilots(user, utcnow(), group, page) if has_worklist else {},
        group=group,
        can_create=auth_service.can_create_pilots(user),
        stale_days=worklist.STALE_AFTER_DAYS,
        page_url=lambda n: url_for(".your_pilots", group=group, page=n),
    )
