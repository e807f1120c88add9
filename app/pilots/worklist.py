"""An editor's list of their council's pilots that want something from them: drafts to finish,
registered pilots to start, running pilots that have gone quiet, outcome reports due.

Whose pilots: those led by the councils where the person is an editor or council admin (the
pilots they, or the editors they look after, write); a registry admin edits for every council,
so sees every council's. Every query is filtered by those councils in SQL, so the cost follows
the council's own pilots, not the registry's size (for an admin, the registry's active pilots,
as /overdue already reads).

"Gone quiet" is the funder's dashboard's rule (updates.quiet_pilots); "report due" is /overdue's
report state, shown from its due date rather than only once its grace period has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import selectinload

from app.auth import service as auth_service
from app.auth.models import COUNCIL_ROLES, User
from app.common.pagination import Page
from app.extensions import db
from app.pilots import report_queries, updates
from app.pilots.models import Pilot, ReportDates

GROUPS = ("drafts", "registered", "updates-due", "reports-due")
PREVIEW = 10  # pilots shown in each group on the overview
PER_PAGE = 20  # pilots a page when one group is shown in full
STALE_AFTER_DAYS = updates.STALE_AFTER_DAYS


@dataclass(frozen=True)
class WorkItem:
    """A pilot in the list, with the date that explains why it is there: when it last changed
    (drafts, registered), its last sign of life (updates due) or its report's due date."""

    pilot: Pilot
    on: date
    overdue: bool = False


def _led_by_their_councils(user: User | None) -> ColumnElement[bool]:
    if auth_service.is_admin(user):
        return Pilot.id.is_not(None)
    return Pilot.lead_council_id.in_(auth_service.council_ids_with_role(user, *COUNCIL_ROLES))


def _pilots(user: User | None, *statuses: str) -> Select[Pilot]:
    return (
        select(Pilot)
        .where(Pilot.status.in_(statuses), _led_by_their_councils(user))
        .options(selectinload(Pilot.lead_council))
    )


def _by_last_change(user: User | None, status: str, page: int, per_page: int) -> Page:
    query = _pilots(user, status).order_by(Pilot.updated_at.desc(), Pilot.id.desc())
    # Counted from the (lead council, status) index alone: counting the ordered query read
    # every pilot of that status in the registry.
    total = db.session.scalar(
        select(func.count()).where(Pilot.status == status, _led_by_their_councils(user))
    )
    pilots = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    items = [WorkItem(p, p.updated_at.date()) for p in pilots]
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


def _items_page(rows: Select[Any], page: int, per_page: int, item: Any) -> Page:
    """A Page of WorkItems from a SELECT of (pilot id, date, ...) in the list's order: only the
    page's rows are fetched (their total counted in the same statement), then only their
    pilots loaded."""
    found = db.session.execute(
        rows.add_columns(func.count().over().label("total"))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    pilots = {
        p.id: p
        for p in db.session.scalars(
            select(Pilot)
            .where(Pilot.id.in_([row[0] for row in found]))
            .options(selectinload(Pilot.lead_council))
        )
    }
    if not found and page > 1:  # past the end: the count alone, for the page links
        total = db.session.scalar(select(func.count()).select_from(rows.subquery())) or 0
    else:
        total = found[0].total if found else 0
    items = [item(pilots[row[0]], *row[1:-1]) for row in found]
    return Page(items=items, page=page, per_page=per_page, total=total)


def _updates_due(user: User | None, now: datetime, page: int, per_page: int) -> Page:
    """Running pilots with no progress update or event for STALE_AFTER_DAYS, quietest first."""
    rows = updates.quiet_pilots(now, Pilot.status == "running", _led_by_their_councils(user))
    return _items_page(rows, page, per_page, lambda p, last: WorkItem(p, last.date()))


def _reports_due(user: User | None, today: date, page: int, per_page: int) -> Page:
    """Registered and running pilots whose outcome report's due date has come, earliest first;
    `overdue` once /overdue lists it too (past the grace period)."""
    # The dates /overdue reads (report_dates.py keeps them on every write), for these pilots.
    rows = (
        select(Pilot.id, ReportDates.due_on, report_queries.is_overdue(ReportDates, today))
        .join(ReportDates, ReportDates.pilot_id == Pilot.id)
        .where(
            Pilot.status.in_(("registered", "running")),
            _led_by_their_councils(user),
            report_queries.is_due(ReportDates, today),
        )
        .order_by(ReportDates.due_on, ReportDates.title, ReportDates.pilot_id)
    )
    return _items_page(rows, page, per_page, lambda p, due, late: WorkItem(p, due, bool(late)))


def your_pilots(
    user: User | None, now: datetime, group: str | None = None, page: int = 1
) -> dict[str, Page]:
    """Group name → a Page of WorkItems: every group's first PREVIEW on the overview, or only
    `group`, PER_PAGE at a time. Drafts and registered pilots most recently changed first; the
    others longest waiting first."""
    wanted = GROUPS if group is None else (group,)
    per_page = PREVIEW if group is None else PER_PAGE
    page = 1 if group is None else page
    pages: dict[str, Page] = {}
    for name in wanted:
        if name == "drafts":
            pages[name] = _by_last_change(user, "draft", page, per_page)
        elif name == "registered":
            pages[name] = _by_last_change(user, "registered", page, per_page)
        elif name == "updates-due":
            pages[name] = _updates_due(user, now, page, per_page)
        else:
            pages[name] = _reports_due(user, now.date(), page, per_page)
    return pages
