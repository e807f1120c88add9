"""What an alert tells of: the events the events feed carries (registered, amended, started,
concluded with its verdict, stopped, withdrawn) and progress updates, of public pilots; and which
confirmed alerts each one concerns (a saved search: a newly registered pilot it now finds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl

from sqlalchemy import and_, or_, select

from app.alerts.models import Alert
from app.extensions import db
from app.funding.models import Award, Programme
from app.pilots.events import PUBLIC_EVENT_KINDS
from app.pilots.models import Pilot, PilotEvent, ProgressUpdate
from app.search.service import SearchInputError, matching_pilot_ids

# A saved search is checked against its newest this-many matches: a pilot just registered is
# among the newest, and the check stays one bounded search however broad the query.
SEARCH_MATCH_LIMIT = 500


@dataclass(frozen=True)
class Notice:
    ref: str  # "e<event id>" or "u<progress update id>": part of each email's send key
    pilot: Pilot
    kind: str
    at: datetime
    text: str


def _event_notice(event: PilotEvent) -> Notice:
    return Notice(f"e{event.id}", event.pilot, event.kind, event.at, event.summary)


def _update_notice(update: ProgressUpdate) -> Notice:
    return Notice(f"u{update.id}", update.pilot, "progress", update.created_at, update.text)


def load_notice(ref: str) -> Notice | None:
    """The notice a job names, or None if it is gone or not public."""
    kind, number = ref[:1], ref[1:]
    if not number.isdigit():
        return None
    notice: Notice | None = None
    if kind == "e":
        event = db.session.get(PilotEvent, int(number))
        if event is not None and event.kind in PUBLIC_EVENT_KINDS:
            notice = _event_notice(event)
    elif kind == "u":
        update = db.session.get(ProgressUpdate, int(number))
        notice = _update_notice(update) if update is not None else None
    return notice if notice is not None and notice.pilot.is_public else None


def notices_between(start: datetime, end: datetime) -> list[Notice]:
    """Every public notice in [start, end), oldest first (a weekly digest's contents)."""
    events = db.session.scalars(
        select(PilotEvent).where(
            PilotEvent.kind.in_(PUBLIC_EVENT_KINDS), PilotEvent.at >= start, PilotEvent.at < end
        )
    )
    updates = db.session.scalars(
        select(ProgressUpdate).where(
            ProgressUpdate.created_at >= start, ProgressUpdate.created_at < end
        )
    )
    found = [_event_notice(e) for e in events] + [_update_notice(u) for u in updates]
    return sorted((n for n in found if n.pilot.is_public), key=lambda n: (n.at, n.ref))


def subjects_of(pilot: Pilot) -> set[tuple[str, str]]:
    programmes = db.session.scalars(
        select(Programme.slug)
        .join(Award, Award.programme_id == Programme.id)
        .where(Award.pilot_id == pilot.id)
    )
    return {
        ("pilot", str(pilot.id)),
        ("council", pilot.lead_council.code),
        *(("council", council.code) for council in pilot.partners),
        *(("pillar", slug) for slug in pilot.pillars),
        *(("programme", slug) for slug in programmes),
    }


def _search_finds(query_string: str, pilot_id: int) -> bool:
    try:
        found = matching_pilot_ids(dict(parse_qsl(query_string)), SEARCH_MATCH_LIMIT, "newest")
    except SearchInputError:
        return False  # a search that no longer parses (a programme since deleted) finds nothing
    return pilot_id in found


def concerns(alert: Alert, notice: Notice, subjects: set[tuple[str, str]]) -> bool:
    if alert.subject_kind == "search":
        return notice.kind == "registered" and _search_finds(alert.subject_key, notice.pilot.id)
    return (alert.subject_kind, alert.subject_key) in subjects


def alerts_concerned(notice: Notice, frequency: str) -> list[Alert]:
    """Confirmed alerts of `frequency` that this notice is news for."""
    subjects = subjects_of(notice.pilot)
    candidates = db.session.scalars(
        select(Alert)
        .where(
            Alert.confirmed_at.is_not(None),
            Alert.frequency == frequency,
            or_(
                Alert.subject_kind == "search",
                *(and_(Alert.subject_kind == k, Alert.subject_key == v) for k, v in subjects),
            ),
        )
        .order_by(Alert.id)
    )
    return [alert for alert in candidates if concerns(alert, notice, subjects)]
