"""Status changes: which are allowed, what registering freezes, and what each records."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.auth.models import User
from app.common.conflicts import lock_row
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots.events import record_event
from app.pilots.history import add_version
from app.pilots.measures import has_primary_measure
from app.pilots.models import Pilot, PilotEvent

# Fixed at registration; after it they change only through an amendment.
FROZEN_FIELDS = ("hypothesis", "planned_end_date", "evaluation_design")


class TransitionError(ValueError):
    """The change is not allowed; the message says what to do instead."""


# Once a pilot has ended, its dates decide whether its report was on time: they stay put too.
CLOSED_RECORD_FIELDS = ("start_date", "actual_end_date")


def is_frozen(pilot: Pilot) -> bool:
    return pilot.status != "draft"


def frozen_fields(pilot: Pilot) -> tuple[str, ...]:
    """The fields an ordinary edit may not change, for this pilot's status."""
    if pilot.status == "draft":
        return ()
    if pilot.status in ("concluded", "stopped", "withdrawn"):
        return FROZEN_FIELDS + CLOSED_RECORD_FIELDS
    return FROZEN_FIELDS


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
    if pilot.evaluation_design is None:
        problems.append("Choose the evaluation design before registering")
    if not has_primary_measure(pilot):
        problems.append("Add at least one primary success measure before registering")
    return problems


def register_pilot(pilot: Pilot, actor: User | None, today: date | None = None) -> Pilot:
    """Freeze the hypothesis and publish the pilot; prospective if before its start date."""
    lock_row(pilot)
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
    add_version(pilot, actor, "Registered")
    db.session.commit()
    return pilot


def is_prospective(pilot: Pilot) -> bool | None:
    """Whether it was registered on or before it started.

    Once the pilot has been marked as started, the answer follows the actual start date given
    then (kept in the `started` event); before that, it is the judgement made at registration
    against the planned start. Both are read from events, so editing the start date field later
    cannot change the answer. None when there is no registration record.
    """
    events = {
        e.kind: e
        for e in db.session.scalars(
            select(PilotEvent)
            .where(PilotEvent.pilot_id == pilot.id, PilotEvent.kind.in_(("registered", "started")))
            .order_by(PilotEvent.sequence.desc())
        )
    }
    registered = events.get("registered")
    if registered is None:
        return None
    started = events.get("started")
    started_on = started.detail.get("started_on") if started is not None else None
    if started_on:
        return registered.at.date() <= date.fromisoformat(started_on)
    timing = registered.detail.get("timing")
    if timing not in ("prospective", "retrospective"):
        return None
    return bool(timing == "prospective")


# Which statuses each status may move to, apart from registering and concluding, which have
# their own services (register_pilot above, conclude_pilot in results.py).
TRANSITIONS = {
    "start": (("registered",), "running"),
    "stop": (("registered", "running"), "stopped"),
    "withdraw": (("registered",), "withdrawn"),
}
SUMMARIES = {"running": "Started", "stopped": "Stopped", "withdrawn": "Withdrawn"}
EVENT_KINDS = {"running": "started", "stopped": "stopped", "withdrawn": "withdrawn"}


def allowed_actions(pilot: Pilot) -> list[str]:
    """The transitions a permitted user may make from the pilot's status now."""
    actions = [name for name, (sources, _) in TRANSITIONS.items() if pilot.status in sources]
    if pilot.status == "running":
        actions.append("conclude")
    return actions


def check_action(pilot: Pilot, action: str) -> None:
    """Refuse a start, stop or withdrawal that the pilot's status does not allow, saying why."""
    if action not in TRANSITIONS:
        raise TransitionError(f"There is no action {action!r}")
    sources, target = TRANSITIONS[action]
    if pilot.status not in sources:
        raise TransitionError(f"A {pilot.status} pilot cannot be {SUMMARIES[target].lower()}")


def change_status(
    pilot: Pilot,
    action: str,
    actor: User | None,
    today: date,
    reason: str = "",
    started_on: date | None = None,
) -> Pilot:
    """Start, stop or withdraw a pilot; stopping and withdrawing need a reason. Starting records
    the actual start date (`started_on`, today if not given; never in the future) as the
    pilot's start date, so its report's due date and the registration tag follow it."""
    lock_row(pilot)
    check_action(pilot, action)
    target = TRANSITIONS[action][1]
    reason = reason.strip()
    if target in ("stopped", "withdrawn") and not reason:
        raise TransitionError(f"Say why the pilot was {SUMMARIES[target].lower()}")
    detail: dict[str, str] = {}
    if target == "running":
        started_on = started_on or today
        if started_on > today:
            raise TransitionError("The date it started cannot be in the future")
        if pilot.planned_end_date and started_on > pilot.planned_end_date:
            raise TransitionError(
                "The date it started is after its planned end date: amend the planned end date "
                "first"
            )
        pilot.start_date = started_on
        detail["started_on"] = started_on.isoformat()
    now = utcnow()
    pilot.status = target
    if reason:
        pilot.status_reason = reason
    pilot.updated_at, pilot.updated_by = now, actor
    if target == "stopped" and pilot.actual_end_date is None:
        pilot.actual_end_date = today
    summary = f"{SUMMARIES[target]}: {pilot.title}"
    record_event(pilot, EVENT_KINDS[target], actor, summary, reason=reason, **detail)
    db.session.commit()
    return pilot
