"""Progress updates: dated short notes from a pilot's lead or partner councils."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, select

from app.auth import service as auth_service
from app.auth.audit import record_audit
from app.auth.models import User
from app.common.db_types import UTCDateTime
from app.common.sql_dates import latest_of, midnight_utc
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import Pilot, PilotEvent, ProgressUpdate

UPDATABLE_STATUSES = ("registered", "running")
MAX_UPDATE = 1000
STALE_AFTER_DAYS = 90


class UpdateError(ValueError):
    """The update cannot be posted; the message says why."""


def posting_council(user: User | None, pilot: Pilot) -> Council | None:
    """The council the user may post for on this pilot: the lead first, then a partner."""
    for council in (pilot.lead_council, *pilot.partners):
        if auth_service.can_edit_for_council(user, council.id):
            return council
    return None


def can_post_update(user: User | None, pilot: Pilot) -> bool:
    """Whether the pilot's page offers this user the form: under way, and theirs to post for."""
    return pilot.status in UPDATABLE_STATUSES and posting_council(user, pilot) is not None


def updates_of(pilot: Pilot) -> list[ProgressUpdate]:
    """Oldest first, so the page reads as a story."""
    return list(
        db.session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.pilot_id == pilot.id)
            .order_by(ProgressUpdate.on, ProgressUpdate.id)
        )
    )


def add_update(
    pilot: Pilot,
    author: User | None,
    text: str,
    on: date,
    today: date,
    council: Council | None = None,
) -> ProgressUpdate:
    """Post an update for the author's council on a registered or running pilot; the API names
    the council (its token's), which must be the lead or a partner."""
    if council is None:
        council = posting_council(author, pilot)
    elif council not in (pilot.lead_council, *pilot.partners):
        council = None
    if council is None:
        raise UpdateError("Only editors of the lead or partner councils can post updates")
    if pilot.status not in UPDATABLE_STATUSES:
        raise UpdateError(f"This pilot is {pilot.status}; updates are for pilots under way")
    text = text.strip()
    if not text:
        raise UpdateError("Write the update")
    if len(text) > MAX_UPDATE:
        raise UpdateError(f"The update must be {MAX_UPDATE} characters or fewer")
    if on > today:
        raise UpdateError("The date of the update cannot be in the future")
    update = ProgressUpdate(
        pilot_id=pilot.id,
        council_id=council.id,
        author_id=author.id if author else None,
        on=on,
        text=text,
    )
    db.session.add(update)
    record_audit(
        author, "posted-update", "pilot", pilot.slug, pilot.title, pilot.lead_council_id,
        council=council.code,
    )  # fmt: skip
    db.session.commit()
    return update


def last_update_sql() -> ColumnElement[datetime]:
    """Each pilot's latest sign of life, as a column of a query over pilots: a progress update
    (at midnight UTC) or a lifecycle event (registration counts), never a mere edit of its
    description; its creation if there is none. An index probe per pilot for its latest event
    and update, so a list of quiet pilots is filtered, ordered and paged in SQL rather than by
    loading every pilot it considers."""
    event = select(func.max(PilotEvent.at)).where(PilotEvent.pilot_id == Pilot.id).scalar_subquery()
    update = (
        select(func.max(ProgressUpdate.on))
        .where(ProgressUpdate.pilot_id == Pilot.id)
        .scalar_subquery()
    )
    signs = latest_of(Pilot.registered_at, event, midnight_utc(update, UTCDateTime()))
    return func.coalesce(signs, Pilot.created_at, type_=UTCDateTime())


def quiet_pilots(now: datetime, *among: ColumnElement[bool]) -> Select[tuple[int, datetime]]:
    """(pilot id, last update) of the registered and running pilots that meet the conditions
    `among`, with no update and no event for STALE_AFTER_DAYS days before `now`: quietest
    first, then by title."""
    rows = (
        select(Pilot.id, Pilot.title, last_update_sql().label("last"))
        .where(Pilot.status.in_(UPDATABLE_STATUSES), *among)
        .subquery()
    )
    cutoff = now - timedelta(days=STALE_AFTER_DAYS)
    return (
        select(rows.c.id, rows.c.last)
        .where(rows.c.last < cutoff)
        .order_by(rows.c.last, rows.c.title, rows.c.id)
    )
