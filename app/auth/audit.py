"""The audit log: who created, edited, registered, amended, concluded, approved or granted what.

Append-only: rows are added in the caller's transaction and never changed or removed by the app.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import Select, event, func, select
from sqlalchemy.orm import Session, selectinload

from app.auth.audit_filters import AuditFilters, audit_conditions
from app.auth.models import AuditEvent, User
from app.common.pagination import Page
from app.extensions import db

AUDIT_PER_PAGE = 50
# What a request acts through when it is not a person at a form: the JSON API puts its token's
# name here, so every write a council's system makes is audited as that token.
ACTING_VIA = "proving_ground.acting_via"


class AuditLogIsAppendOnly(RuntimeError):
    """Something tried to change or delete an audit event."""


def record_audit(
    actor: User | None,
    action: str,
    target_type: str,
    target_key: str | int = "",
    target_label: str = "",
    council_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add one audit event in the caller's transaction; the caller commits.

    e.g. record_audit(user, "amended", "pilot", pilot.slug, pilot.title, pilot.lead_council_id)
    """
    name = actor.email or actor.display_name if actor else "system"
    via = request.environ.get(ACTING_VIA, "") if has_request_context() else ""
    entry = AuditEvent(
        actor=actor,
        actor_name=f"{name} via {via}"[:320] if via else name,
        action=action,
        target_type=target_type,
        target_key=str(target_key),
        target_label=target_label[:300],
        council_id=council_id,
        detail=detail,
    )
    db.session.add(entry)
    return entry


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_audit_events(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit events are never changed or deleted")


def _events_query(council_id: int | None, filters: AuditFilters | None) -> Select[tuple[Any]]:
    query = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.actor))  # the page names people, not their emails
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if council_id is not None:
        query = query.where(AuditEvent.council_id == council_id)
    if filters is not None:
        query = query.where(*audit_conditions(filters))
    return query


def audit_events(
    page: int = 1, council_id: int | None = None, filters: AuditFilters | None = None
) -> Page:
    """Newest first: every event, or only those about one council's pilots and members, and
    only those the filters choose."""
    query = _events_query(council_id, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(
        db.session.scalars(query.limit(AUDIT_PER_PAGE).offset((page - 1) * AUDIT_PER_PAGE))
    )
    return Page(items=items, page=page, per_page=AUDIT_PER_PAGE, total=total or 0)


def all_audit_events(council_id: int | None, filters: AuditFilters) -> list[AuditEvent]:
    """Every entry the filters choose, newest first, for the CSV download."""
    return list(db.session.scalars(_events_query(council_id, filters)))
