"""build_* helpers: unsaved appraisals with sensible defaults, for the service to check and save."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.appraisal.models import Appraisal, AppraisalOption, BenefitLine, CostLine, ProcessStep


def build_cost(name: str = "Software licence", likely: int = 1_000_000, **values: Any) -> CostLine:
    """A recurring revenue cost in years 0 to 2 at exactly `likely` pence a year, grade 1."""
    return CostLine(
        name=name,
        recurrence=values.pop("recurrence", "recurring"),
        nature=values.pop("nature", "revenue"),
        low_pence=values.pop("low", likely),
        likely_pence=likely,
        high_pence=values.pop("high", likely),
        years=values.pop("years", [0, 1, 2]),
        confidence_grade=values.pop("grade", 1),
        **values,
    )


def build_benefit(
    name: str = "Staff time saved", likely: int = 3_000_000, **values: Any
) -> BenefitLine:
    """A cashable fiscal benefit in years 1 and 2 at exactly `likely` pence a year, fully
    additional."""
    return BenefitLine(
        name=name,
        cashable=values.pop("cashable", True),
        category=values.pop("category", "fiscal"),
        low_pence=values.pop("low", likely),
        likely_pence=likely,
        high_pence=values.pop("high", likely),
        years=values.pop("years", [1, 2]),
        confidence_grade=values.pop("grade", 1),
        **values,
    )


def build_step(stage: str, channel: str, volume: int, cost_per_contact: int, **values: Any) -> Any:
    return ProcessStep(
        stage=stage,
        name=values.pop("name", "Apply for a permit"),
        channel=channel,
        volume_low=values.pop("low", volume),
        volume_likely=volume,
        volume_high=values.pop("high", volume),
        staff_minutes=values.pop("minutes", Decimal(10)),
        cost_per_contact_pence=cost_per_contact,
    )


def build_option(kind: str = "preferred", **values: Any) -> AppraisalOption:
    """An option with the given lines; by default one cost and one benefit line."""
    return AppraisalOption(
        kind=kind,
        name=values.pop("name", kind.replace("-", " ").capitalize()),
        description=values.pop("description", ""),
        reason=values.pop("reason", "Kept: it meets the need"),
        costs=values.pop("costs", [build_cost()]),
        benefits=values.pop("benefits", [build_benefit()]),
        steps=values.pop("steps", []),
        process_years=values.pop("process_years", []),
        **values,
    )


def build_appraisal(*options: AppraisalOption, **values: Any) -> Appraisal:
    """A three-year appraisal priced in 2026, seed 2026, of the given options (or one preferred
    option with the default lines)."""
    return Appraisal(
        horizon_years=values.pop("horizon_years", 3),
        price_year=values.pop("price_year", 2026),
        seed=values.pop("seed", 2026),
        options=list(options) or [build_option()],
        **values,
    )


def shortlist(**values: Any) -> Appraisal:
    """Business as usual, do-minimum, preferred and one alternative, each a cost and a benefit;
    the preferred option's benefit is larger and uncertain."""
    return build_appraisal(
        build_option(
            "business-as-usual",
            costs=[build_cost("Current service", 500_000)],
            benefits=[build_benefit("Residents served", 400_000)],
        ),
        build_option("do-minimum"),
        build_option(
            "preferred",
            benefits=[build_benefit(low=2_000_000, likely=3_500_000, high=6_000_000)],
        ),
        build_option("alternative", costs=[build_cost(likely=1_500_000)]),
        **values,
    )


def create_concluded_pilot(council: Any) -> Any:
    """A concluded pilot with its outcome report filed and the `shortlist()` appraisal saved:
    ready for its outturn."""
    from app.appraisal.service import save_appraisal
    from app.extensions import db
    from app.pilots.models import OutcomeReport
    from tests.factories import create_pilot

    pilot = create_pilot(council, status="concluded", verdict="proved", title="Concluded")
    db.session.add(
        OutcomeReport(pilot_id=pilot.id, narrative="Done", proposed_verdict="proved",
                      verdict="proved", reported_on=pilot.planned_end_date)
    )  # fmt: skip
    db.session.commit()
    save_appraisal(pilot, shortlist())
    return pilot
