"""Progress updates: dated short notes from a pilot's lead or partner councils."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.auth import service as auth_service
from app.auth.models import User
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import Pilot, ProgressUpdate

UPDATABLE_STATUSES = ("registered", "running")
MAX_UPDATE = 1000


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
    pilot: Pilot, author: User | None, text: str, on: date, today: date
) -> ProgressUpdate:
    """Post an update for the author's council on a registered or running pilot."""
    council = posting_council(author, pilot)
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
    db.session.commit()
    return update
