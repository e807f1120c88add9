"""The demo's options appraisals (content/demo/appraisals.json): Kensington and Chelsea's parking
permit and housing repairs triage pilots with full appraisals and process models, and simpler
ones for two other councils' pilots.

Each pilot was registered before it had an appraisal, so each gains one as the registry requires:
a major amendment with a reason, through the same service as the form (`write_appraisal`),
backdated to the day given. A pilot that already has an appraisal is left alone, so loading
twice changes nothing and `flask history verify` passes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.appraisal.amending import write_appraisal
from app.appraisal.models import Appraisal, AppraisalOption, BenefitLine, CostLine, ProcessStep
from app.appraisal.outturn import carried_out, record_outturn
from app.appraisal.service import appraisal_of
from app.auth.models import User
from app.auth.service import DEV_ISSUER
from app.extensions import db
from app.pilots.service import pilot_by_slug


def _pence(pounds: float) -> int:
    return round(Decimal(str(pounds)) * 100)


def _cost(row: list[Any]) -> CostLine:
    name, recurrence, nature, low, likely, high, years, grade = row
    return CostLine(name=name, recurrence=recurrence, nature=nature, low_pence=_pence(low),
                    likely_pence=_pence(likely), high_pence=_pence(high), years=years,
                    confidence_grade=grade)  # fmt: skip


def _benefit(row: list[Any]) -> BenefitLine:
    name, cashable, category, low, likely, high, years, grade, deadweight, displacement = row
    return BenefitLine(name=name, cashable=cashable, category=category, low_pence=_pence(low),
                       likely_pence=_pence(likely), high_pence=_pence(high), years=years,
                       confidence_grade=grade, deadweight_percent=Decimal(deadweight),
                       displacement_percent=Decimal(displacement))  # fmt: skip


def _step(row: list[Any]) -> ProcessStep:
    stage, name, channel, low, likely, high, minutes, cost = row
    return ProcessStep(stage=stage, name=name, channel=channel, volume_low=low,
                       volume_likely=likely, volume_high=high, staff_minutes=Decimal(minutes),
                       cost_per_contact_pence=_pence(cost))  # fmt: skip


def _appraisal(spec: dict[str, Any]) -> Appraisal:
    floor = spec.get("offline_floor_percent")
    return Appraisal(
        horizon_years=spec["horizon_years"],
        price_year=spec["price_year"],
        seed=spec["seed"],
        offline_floor_percent=None if floor is None else Decimal(floor),
        options=[
            AppraisalOption(
                kind=option["kind"],
                name=option["name"],
                description=option["description"],
                kept=option["kept"],
                reason=option["reason"],
                costs=[_cost(row) for row in option["costs"]],
                benefits=[_benefit(row) for row in option["benefits"]],
                steps=[_step(row) for row in option["steps"]],
                process_years=option.get("process_years", []),
            )
            for option in spec["options"]
        ],
    )


def _record_outturn(
    pilot: Any, appraisal: Appraisal, figures: dict[str, float], author: Any
) -> None:
    """What the option carried out came to, by line name, as its council recorded it."""
    option = carried_out(appraisal)
    if option is None:
        return
    keys = {line.name: f"cost-{line.id}" for line in option.costs} | {
        line.name: f"benefit-{line.id}" for line in option.benefits
    }
    record_outturn(pilot, {keys[name]: _pence(pounds) for name, pounds in figures.items()}, author)


def _author(subject: str | None) -> User | None:
    if not subject:
        return None
    return db.session.scalar(select(User).where(User.issuer == DEV_ISSUER, User.subject == subject))


def load_appraisals_demo(path: Path) -> int:
    """Give each demo pilot named in `path` its appraisal, unless it has one; how many were
    added."""
    if not path.exists():
        return 0
    added = 0
    for slug, spec in json.loads(path.read_text(encoding="utf-8"))["appraisals"].items():
        pilot = pilot_by_slug(slug)
        if pilot is None or appraisal_of(pilot) is not None:
            continue
        author = _author(spec.get("by"))
        at = datetime.combine(date.fromisoformat(spec["on"]), time(9, 0), tzinfo=UTC)
        saved = write_appraisal(pilot, _appraisal(spec), author, spec["reason"], at)
        if "outturn" in spec:
            _record_outturn(pilot, saved, spec["outturn"], author)
        added += 1
    return added
