"""Saving what a council writes about its pilot from the form: the councils and the earlier pilot
it names must exist, the rules across fields must hold, and fields frozen at registration keep
their registered values whatever was sent (they change only by an amendment, in history.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.auth import service as auth_service
from app.auth.models import User
from app.common.text import format_date
from app.councils import service as councils_service
from app.councils.models import Council
from app.pilots import service
from app.pilots.lifecycle import frozen_fields
from app.pilots.models import Pilot
from app.pilots.replications import replication_problem
from app.pilots.rules import check_pilot_rules


class PilotRulesError(ValueError):
    """The pilot cannot be saved as entered; `errors` maps each field to how to fix it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class PilotInput:
    """A pilot as entered: councils by register code and the earlier pilot by address; `details`
    holds every other field of PilotData by name, already typed."""

    lead_council: str
    partners: list[str] = field(default_factory=list)
    replicates: str = ""
    replication_kind: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def lead_council_choices(user: User | None, pilot: Pilot | None = None) -> list[Council]:
    """The councils the user may name as lead: those they edit for and, when editing, the pilot's
    current lead (so an admin's edit does not have to move it)."""
    councils = auth_service.editable_councils(user)
    if pilot is not None and pilot.lead_council not in councils:
        councils = [pilot.lead_council, *councils]
    return councils


def _resolve(entered: PilotInput, pilot: Pilot | None) -> service.PilotData:
    earlier = service.pilot_by_slug(entered.replicates) if entered.replicates else None
    if entered.replicates:
        problem = replication_problem(pilot, earlier, entered.replicates)
        if problem:
            raise PilotRulesError({"replicates": problem})
        if not entered.replication_kind:
            raise PilotRulesError(
                {"replication_kind": "Say whether it replicates or adapts that pilot"}
            )
    codes = [c.upper() for c in entered.partners]
    found = councils_service.councils_by_codes([*codes, entered.lead_council])
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise PilotRulesError({"partners": f"There is no council with code {', '.join(unknown)}"})
    return service.PilotData(
        lead_council=found[entered.lead_council],
        partners=[found[c] for c in dict.fromkeys(codes)],
        set_replication=True,
        replicates=earlier,
        replication_kind=entered.replication_kind or None,
        **entered.details,
    )


def save_pilot(entered: PilotInput, author: User | None, pilot: Pilot | None = None) -> Pilot:
    """Create a draft (no `pilot`) or save an edit of one; raises PilotRulesError saying which
    fields to fix. A frozen planned end date that the start date now passes is reported on the
    start date, the field the editor can still change."""
    data = _resolve(entered, pilot)
    frozen = frozen_fields(pilot) if pilot is not None else ()
    for name in frozen:
        setattr(data, name, getattr(pilot, name))
    errors = check_pilot_rules(data)
    if pilot is not None and "planned_end_date" in frozen and "planned_end_date" in errors:
        errors["start_date"] = (
            f"The start date must be on or before the planned end date, "
            f"{format_date(pilot.planned_end_date)}, which is frozen: amend it to change it"
        )
        del errors["planned_end_date"]
    if errors:
        raise PilotRulesError(errors)
    if pilot is None:
        return service.create_pilot(data, author)
    return service.update_pilot(pilot, data, author)
