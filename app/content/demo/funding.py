"""The demo funding programmes and awards (content/demo/funding.json): upserted by slug and by
(programme, reference), so loading twice changes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.common.importing import ImportFailed
from app.common.money import parse_pounds
from app.councils.service import council_by_code
from app.extensions import db
from app.funding.awards import AwardData, apply_award_data, check_award_rules
from app.funding.models import Award, Programme
from app.funding.service import ProgrammeData, apply_programme_data, check_programme_rules
from app.pilots.service import pilot_by_slug


@dataclass
class FundingDemoSummary:
    programmes_created: int = 0
    awards_created: int = 0
    changed: int = 0


def _date(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


def _programme_data(item: dict[str, Any]) -> ProgrammeData:
    return ProgrammeData(
        name=item["name"],
        funder_name=item["funder_name"],
        funder_org_id=item["funder_org_id"],
        round=item.get("round", ""),
        description=item.get("description", ""),
        opens_on=_date(item.get("opens_on")),
        closes_on=_date(item.get("closes_on")),
        total_budget_pence=parse_pounds(str(item["total_budget_gbp"])),
        report_due_days=item.get("report_due_days"),
        conditions=item.get("conditions", ""),
        pillars=list(item.get("pillars", [])),
    )


def _award_data(item: dict[str, Any]) -> AwardData:
    pilot = pilot_by_slug(item["pilot"])
    recipient = council_by_code(item["recipient"])
    if pilot is None or recipient is None:
        raise ImportFailed([], f"demo award {item['reference']}: no pilot or council by that name")
    return AwardData(
        pilot=pilot,
        recipient=recipient,
        reference=item["reference"],
        amount_awarded_pence=parse_pounds(item["amount_awarded_gbp"]),
        amount_disbursed_pence=parse_pounds(item.get("amount_disbursed_gbp") or "0"),
        award_date=date.fromisoformat(item["award_date"]),
        planned_start_date=_date(item.get("planned_start_date")),
        planned_end_date=_date(item.get("planned_end_date")),
    )


def _programme_differs(programme: Programme, data: ProgrammeData) -> bool:
    fields = vars(data).keys() - {"pillars"}
    return any(getattr(programme, f) != getattr(data, f) for f in fields) or sorted(
        programme.pillars
    ) != sorted(data.pillars)


def _award_differs(award: Award, data: AwardData) -> bool:
    return (
        award.pilot_id != data.pilot.id
        or award.recipient_council_id != data.recipient.id
        or any(
            getattr(award, f) != getattr(data, f)
            for f in vars(data).keys() - {"pilot", "recipient"}
        )
    )


def load_funding_demo(text: str) -> FundingDemoSummary:
    """Upsert the demo programmes and awards (JSON text) in one transaction; bad content
    changes nothing."""
    summary = FundingDemoSummary()
    try:
        content = json.loads(text)
        for item in content.get("programmes", []):
            data = _programme_data(item)
            errors = check_programme_rules(data)
            if errors:
                raise ImportFailed([], f"demo programme {item['slug']}: {errors}")
            programme = db.session.scalar(select(Programme).where(Programme.slug == item["slug"]))
            if programme is None:
                programme = Programme(slug=item["slug"])
                db.session.add(programme)
                summary.programmes_created += 1
            elif not _programme_differs(programme, data):
                continue
            else:
                summary.changed += 1
            apply_programme_data(programme, data)
        db.session.flush()
        for item in content.get("awards", []):
            programme = db.session.scalar(
                select(Programme).where(Programme.slug == item["programme"])
            )
            if programme is None:
                raise ImportFailed([], f"demo award {item['reference']}: no such programme")
            award_data = _award_data(item)
            award = db.session.scalar(
                select(Award).where(
                    Award.programme_id == programme.id, Award.reference == award_data.reference
                )
            )
            errors = check_award_rules(programme, award_data, award)
            if errors:
                raise ImportFailed([], f"demo award {award_data.reference}: {errors}")
            if award is None:
                award = Award(programme=programme)
                db.session.add(award)
                summary.awards_created += 1
            elif not _award_differs(award, award_data):
                continue
            else:
                summary.changed += 1
            apply_award_data(award, award_data)
            db.session.flush()
    except ImportFailed:
        db.session.rollback()
        raise
    except (KeyError, ValueError) as error:
        db.session.rollback()
        raise ImportFailed([], f"the demo funding content is not valid: {error}") from error
    db.session.commit()
    return summary
