"""Which writes touch only drafts. Nobody outside a draft's council sees it (not in listings,
counts, search, feeds, funding pages or exports), so saving one leaves cached public pages valid."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from app.pilots.models import Pilot, PilotEvent, PilotPillar, PilotTag, SuccessMeasure

# Rows that belong to one pilot and are shown only with it.
PILOT_ROWS = (PilotPillar, PilotTag, PilotEvent, SuccessMeasure)


def _stays_draft(pilot: Pilot) -> bool:
    # A draft before and after: registering (draft → registered) is as public as it gets.
    state: Any = inspect(pilot)
    before = state.attrs.status.history.deleted or ()
    return pilot.status == "draft" and all(status == "draft" for status in before)


def only_a_draft(session: Session, obj: object) -> bool:
    """True when `obj` is a draft pilot, or one of a draft pilot's own rows, staying a draft."""
    if isinstance(obj, Pilot):
        return _stays_draft(obj)
    if isinstance(obj, PILOT_ROWS) and obj.pilot_id is not None:
        pilot = _pilot_in_session(session, obj.pilot_id)
        return pilot is not None and _stays_draft(pilot)
    return False


def _pilot_in_session(session: Session, pilot_id: int) -> Pilot | None:
    # Only a pilot already in this session can vouch for its rows (never a query mid-flush); one
    # created in this flush is not in the identity map until the flush ends.
    pilot = session.identity_map.get(identity_key(Pilot, pilot_id))
    if isinstance(pilot, Pilot):
        return pilot
    return next((p for p in session.new if isinstance(p, Pilot) and p.id == pilot_id), None)
