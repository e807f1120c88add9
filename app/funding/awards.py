"""Recording a programme's awards: what a funder enters, the rules across its fields, and the
changes. What the public pages show of awards stays in service.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.common.conflicts import retry_on_conflict
from app.common.db_types import utcnow
from app.councils import service as councils_service
from app.councils.models import Council
from app.extensions import db
from app.funding.models import Award, Programme
from app.funding.service import MAX_PENCE, FundingRulesError
from app.pilots.models import PUBLIC_STATUSES, Pilot


@dataclass
class AwardData:
    pilot: Pilot
    recipient: Council
    reference: str
    amount_awarded_pence: int
    award_date: date
    amount_disbursed_pence: int = 0
    planned_start_date: date | None = None
    planned_end_date: date | None = None


@dataclass
class AwardInput:
    """An award as entered: the pilot by its slug, the recipient by council code; `details` holds
    AwardData's other fields by name."""

    pilot: str
    recipient: str
    details: dict[str, Any] = field(default_factory=dict)


def save_award(programme: Programme, entered: AwardInput, existing: Award | None = None) -> Award:
    """Record an award (no `existing`) or save changes to one, once the pilot is a public one, the
    recipient a council that leads or partners in it, and the money within the programme's
    budget; raises FundingRulesError naming the fields to fix. The same award sent twice at once
    is recorded once: the second is told its reference is taken."""
    return retry_on_conflict(lambda: _save_award(programme, entered, existing))


def _save_award(programme: Programme, entered: AwardInput, existing: Award | None) -> Award:
    pilot = next((p for p in awardable_pilots() if p.slug == entered.pilot), None)
    if pilot is None:
        raise FundingRulesError({"pilot": "Choose a published pilot from the list"})
    recipient = councils_service.council_by_code(entered.recipient)
    if recipient is None:
        raise FundingRulesError({"recipient": f"There is no council with code {entered.recipient}"})
    data = AwardData(pilot=pilot, recipient=recipient, **entered.details)
    errors = check_award_rules(programme, data, existing)
    if errors:
        raise FundingRulesError(errors)
    if existing is None:
        return create_award(programme, data)
    return update_award(existing, data)


def check_award_rules(
    programme: Programme, data: AwardData, award: Award | None = None
) -> dict[str, str]:
    """Rules across an award's fields: field name → how to fix it."""
    errors: dict[str, str] = {}
    councils = {data.pilot.lead_council_id, *(c.id for c in data.pilot.partners)}
    if data.recipient.id not in councils:
        errors["recipient"] = (
            f"{data.recipient.nice_name} is not the lead or a partner council of this pilot"
        )
    if not 0 <= data.amount_awarded_pence <= MAX_PENCE:
        errors["amount_awarded"] = "The amount awarded must be between £0 and £10 billion"
    if data.amount_disbursed_pence < 0:
        errors["amount_disbursed"] = "The amount disbursed cannot be negative"
    elif data.amount_disbursed_pence > data.amount_awarded_pence:
        errors["amount_disbursed"] = "The amount disbursed cannot be more than the amount awarded"
    if (
        data.planned_start_date
        and data.planned_end_date
        and data.planned_end_date < data.planned_start_date
    ):
        errors["planned_end_date"] = "The planned end date must be on or after the planned start"
    clash = db.session.scalar(
        select(Award.id).where(
            Award.programme_id == programme.id,
            Award.reference == data.reference,
            Award.id != (award.id if award else -1),
        )
    )
    if clash:
        errors["reference"] = f"This programme already has an award with reference {data.reference}"
    if programme.total_budget_pence:
        others = db.session.scalar(
            select(func.coalesce(func.sum(Award.amount_awarded_pence), 0)).where(
                Award.programme_id == programme.id, Award.id != (award.id if award else -1)
            )
        )
        if int(others or 0) + data.amount_awarded_pence > programme.total_budget_pence:
            errors.setdefault(
                "amount_awarded", "This award would take the programme over its total budget"
            )
    return errors


def apply_award_data(award: Award, data: AwardData) -> None:
    award.pilot = data.pilot
    award.recipient = data.recipient
    for name in (
        "reference", "amount_awarded_pence", "amount_disbursed_pence", "award_date",
        "planned_start_date", "planned_end_date",
    ):  # fmt: skip
        setattr(award, name, getattr(data, name))
    award.updated_at = utcnow()


def create_award(programme: Programme, data: AwardData) -> Award:
    """Record an award; the caller has checked check_award_rules()."""
    award = Award(programme=programme)
    apply_award_data(award, data)
    db.session.add(award)
    db.session.commit()
    return award


def update_award(award: Award, data: AwardData) -> Award:
    """Save an edit to an award, such as money disbursed since."""
    apply_award_data(award, data)
    db.session.commit()
    return award


def award_in_programme(programme: Programme, award_id: int) -> Award | None:
    """The award with this id if it belongs to this programme (so addresses cannot be mixed)."""
    return db.session.scalar(
        select(Award).where(Award.id == award_id, Award.programme_id == programme.id)
    )


def awardable_pilots() -> list[Pilot]:
    """Public pilots a funder may fund, by title."""
    return list(
        db.session.scalars(
            select(Pilot).where(Pilot.status.in_(PUBLIC_STATUSES)).order_by(Pilot.title)
        )
    )
