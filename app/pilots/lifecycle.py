"""Status changes: which are allowed, what registering freezes, and what each records."""

from __future__ import annotations

from datetime import date

from app.auth.audit import record_audit
from app.auth.models import User
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots.events import record_event
from app.pilots.models import Pilot

# Fixed at registration; after it they change only through an amendment.
FROZEN_FIELDS = ("hypothesis", "planned_end_date", "evaluation_design")


class TransitionError(ValueError):
    """The change is not allowed; the message says what to do instead."""


def is_frozen(pilot: Pilot) -> bool:
    return pilot.status != "draft"


def registration_problems(pilot: Pilot) -> list[str]:
    """What must be fixed before a draft can be registered."""
    problems = []
    if not pilot.hypothesis.strip():
        problems.append("Write the hypothesis before registering")
    if not pilot.pillars:
        problems.append("Choose at least one pillar before registering")
    if pilot.start_date is None:
        problems.append("Enter the start date before registering")
    if pilot.planned_end_date is None:
        problems.append("Enter the planned end date before registering")
    return problems


def register_pilot(pilot: Pilot, actor: User | None, today: date | None = None) -> Pilot:
    """Freeze the hypothesis and publish the pilot; prospective if before its start date."""
    if pilot.status != "draft":
        raise TransitionError(
            f"This pilot is already {pilot.status}; only a draft can be registered"
        )
    problems = registration_problems(pilot)
    if problems:
        raise TransitionError("; ".join(problems))
    now = utcnow()
    today = today or now.date()
    pilot.status = "registered"
    pilot.registered_at = now
    pilot.updated_at = now
    pilot.updated_by = actor
    timing = "prospective" if pilot.start_date and today <= pilot.start_date else "retrospective"
    record_event(pilot, "registered", actor, f"Registered: {pilot.title}", timing=timing)
    record_audit(actor, "registered", "pilot", pilot.slug, pilot.title, pilot.lead_council_id)
    db.session.commit()
    return pilot


def is_prospective(pilot: Pilot) -> bool | None:
    """Registered on or before the start date; None while unregistered or undated."""
    if pilot.registered_at is None or pilot.start_date is None:
        return None
    return pilot.registered_at.date() <= pilot.start_date
