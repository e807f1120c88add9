"""The shapes of a pilot's appraisal and of the round that chose it (serialise_origin.py)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from app.api.schema_money import Money


class AppraisalLine(BaseModel):
    """A cost or benefit line as entered: low, likely and high a year, in the years listed."""

    name: str
    low: Money
    likely: Money
    high: Money
    years: list[int]
    confidence_grade: int
    outturn: Money | None


class CostLine(AppraisalLine):
    recurrence: str
    nature: str


class BenefitLine(AppraisalLine):
    cashable: bool
    category: str
    deadweight_percent: str
    displacement_percent: str
    leakage_percent: str
    substitution_percent: str


class Switching(BaseModel):
    input: str
    switching_value: Money | None
    change_percent: int


class OptionFigures(BaseModel):
    """The stored results as the appraisal page shows them (present values to the pound)."""

    pv_costs: Money
    pv_benefits: Money
    npsv: Money
    bcr: float | None
    value_for_money: str | None
    chance_npsv_positive_percent: int | None
    npsv_p5: Money
    npsv_p50: Money
    npsv_p95: Money
    bcr_p5: float | None
    bcr_p50: float | None
    bcr_p95: float | None
    switching: Switching | None


class AppraisalOption(BaseModel):
    kind: str
    name: str
    description: str
    kept: bool
    reason: str
    costs: list[CostLine]
    benefits: list[BenefitLine]
    figures: OptionFigures | None


class Appraisal(BaseModel):
    url: str
    horizon_years: int
    price_year: int
    discount_edition: str
    iterations: int
    content_hash: str
    updated_at: datetime
    options: list[AppraisalOption]
    chance_preferred_beats_do_minimum_percent: int | None
    flags: list[str]


class IdeaRef(BaseModel):
    id: int
    title: str
    url: str


class Decision(BaseModel):
    decided_at: datetime | None
    chosen_idea_ids: list[int]
    departs_from_ranking: bool
    departure_reason: str
    meeting: str
    minute_reference: str


class PilotRound(BaseModel):
    """The idea the pilot was chosen from and the decided round that chose it (its `id`,
    `url`, `status` and `decision` are null when the idea became a pilot outside a round)."""

    idea: IdeaRef
    id: int | None
    title: str | None
    url: str | None
    status: str | None
    decision: Decision | None
