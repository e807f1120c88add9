"""Lifecycle events: one row for each thing that happened to a pilot, in order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from app.auth.audit import record_audit
from app.auth.models import User
from app.common.conflicts import lock_row
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots.models import Pilot, PilotEvent

PUBLIC_EVENT_KINDS = ("registered", "amended", "started", "concluded", "stopped", "withdrawn")


def record_event(
    pilot: Pilot, kind: str, actor: User | None, summary: str, **detail: Any
) -> PilotEvent:
    """Add an event, and its audit entry, in the caller's transaction; the caller commits. The
    pilot is held until then, so two requests at once cannot both take the next number."""
    lock_row(pilot, refresh=False)
    last = db.session.scalar(
        select(func.max(PilotEvent.sequence)).where(PilotEvent.pilot_id == pilot.id)
    )
    event = PilotEvent(
        pilot_id=pilot.id,
        sequence=(last or 0) + 1,
        kind=kind,
        at=utcnow(),
        actor=actor,
        summary=summary,
        detail=detail,
    )
    db.session.add(event)
    if kind in PUBLIC_EVENT_KINDS:
        record_audit(actor, kind, "pilot", pilot.slug, pilot.title, pilot.lead_council_id)
    return event


def events_for_pilot(pilot: Pilot) -> list[PilotEvent]:
    return list(
        db.session.scalars(
            select(PilotEvent).where(PilotEvent.pilot_id == pilot.id).order_by(PilotEvent.sequence)
        )
    )


def public_events_after(
    after_id: int, since: datetime | None, limit: int
) -> tuple[list[PilotEvent], bool]:
    """The change feed: public pilots' events with ids above `after_id` (and at or after `since`),
    oldest first, up to `limit`, and whether more follow. Ids only grow, so a mirror that keeps
    the last id it read misses nothing that was public when it read."""
    query = (
        select(PilotEvent)
        .join(Pilot, Pilot.id == PilotEvent.pilot_id)
        .where(PilotEvent.id > after_id, Pilot.status != "draft")
        .options(contains_eager(PilotEvent.pilot))
        .order_by(PilotEvent.id)
        .limit(limit + 1)
    )
    if since is not None:
        query = query.where(PilotEvent.at >= since)
    events = list(db.session.scalars(query))
    return events[:limit], len(events) > limit
