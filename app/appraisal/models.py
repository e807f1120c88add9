"""An options appraisal: its options, their cost and benefit lines and their process model.

Money is integer pence; percentages are exact decimals out of 100. Years are counted from 0, the
base year (the price year): a horizon of 10 covers years 0 to 9. Low, likely and high are the
range of a yearly figure; the simulation draws one value per line and moves its years together.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.db_types import UTCDateTime, utcnow
from app.extensions import db

OPTION_KINDS = ("business-as-usual", "do-minimum", "preferred", "alternative")
RECURRENCES = ("one-off", "recurring")
NATURES = ("capital", "revenue")
BENEFIT_CATEGORIES = ("fiscal", "economic", "social")
CHANNELS = ("face-to-face", "phone", "web", "post", "assisted-digital")
STAGES = ("as-is", "to-be")
PERCENT = Numeric(5, 2)


class Appraisal(db.Model):  # type: ignore[name-defined]
    """A pilot's options appraisal, or an idea's until it becomes a pilot, with the
    simulation's results stored when it was saved."""

    __tablename__ = "appraisals"
    __table_args__ = (
        CheckConstraint("horizon_years >= 1", name="horizon_positive"),
        CheckConstraint("iterations >= 1", name="iterations_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int | None] = mapped_column(
        ForeignKey("pilots.id", ondelete="CASCADE"), unique=True
    )
    # An idea's appraisal, before the idea is chosen; it moves to the pilot the idea becomes
    # (idea_id cleared, pilot_id set), so it has one owner at a time.
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), unique=True
    )
    horizon_years: Mapped[int] = mapped_column(Integer)
    price_year: Mapped[int] = mapped_column(Integer)
    discount_edition: Mapped[str] = mapped_column(String(60))
    # The council's optimism bias table (grade → per cent, as strings), or None: the registry's.
    optimism_bias: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # The share of contacts (per cent) that must stay on channels open to residents without the
    # internet; None when the council has not stated one.
    offline_floor_percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    seed: Mapped[int] = mapped_column(BigInteger)
    iterations: Mapped[int] = mapped_column(Integer, default=10_000)
    results: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    options: Mapped[list[AppraisalOption]] = relationship(
        back_populates="appraisal",
        cascade="all, delete-orphan",
        order_by="AppraisalOption.position",
    )

    def __repr__(self) -> str:
        return f"<Appraisal {self.id} of pilot {self.pilot_id}>"


class AppraisalOption(db.Model):  # type: ignore[name-defined]
    """One option on the shortlist, with why it was kept or discarded."""

    __tablename__ = "appraisal_options"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(
        ForeignKey("appraisals.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kept: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    # The years the process model's saving falls in.
    process_years: Mapped[list[int]] = mapped_column(JSON, default=list)

    appraisal: Mapped[Appraisal] = relationship(back_populates="options")
    costs: Mapped[list[CostLine]] = relationship(
        cascade="all, delete-orphan", order_by="CostLine.position"
    )
    benefits: Mapped[list[BenefitLine]] = relationship(
        cascade="all, delete-orphan", order_by="BenefitLine.position"
    )
    steps: Mapped[list[ProcessStep]] = relationship(
        cascade="all, delete-orphan", order_by="ProcessStep.position"
    )


class OptionRow:
    """A row of one option (a cost, a benefit or a process step), in the order entered."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    option_id: Mapped[int] = mapped_column(
        ForeignKey("appraisal_options.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))


class YearlyRange(OptionRow):
    """A figure in pence (low, likely, high) for each of the years listed, and the confidence
    grade of its source (1, the most trustworthy, to 5)."""

    low_pence: Mapped[int] = mapped_column(BigInteger)
    likely_pence: Mapped[int] = mapped_column(BigInteger)
    high_pence: Mapped[int] = mapped_column(BigInteger)
    years: Mapped[list[int]] = mapped_column(JSON)
    confidence_grade: Mapped[int] = mapped_column(Integer)
    # What the line came to over the pilot, in pence, recorded once its outcome report is filed
    # (a cost: spent; a benefit: measured). Not part of the appraisal's content hash: it is the
    # outturn set beside the frozen forecast, not a change to it.
    outturn_pence: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class CostLine(YearlyRange, db.Model):  # type: ignore[name-defined]
    """A cost of one option: a one-off figure in one year, or a yearly one in each year listed.
    Lines of the same name in two options are the same cost and share their simulated draws."""

    __tablename__ = "appraisal_cost_lines"

    recurrence: Mapped[str] = mapped_column(String(20))
    nature: Mapped[str] = mapped_column(String(20))


class BenefitLine(YearlyRange, db.Model):  # type: ignore[name-defined]
    """A yearly benefit of one option, gross: additionality is applied when it is valued."""

    __tablename__ = "appraisal_benefit_lines"

    cashable: Mapped[bool] = mapped_column(Boolean)
    category: Mapped[str] = mapped_column(String(20))
    deadweight_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal(0))
    displacement_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal(0))
    leakage_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal(0))
    substitution_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal(0))
    unit_cost_reference: Mapped[str] = mapped_column(Text, default="")


class ProcessStep(OptionRow, db.Model):  # type: ignore[name-defined]
    """One step of the service as it is or as the option would make it, on one channel. The
    process model's saving is the as-is steps' cost less the to-be steps'."""

    __tablename__ = "appraisal_process_steps"

    stage: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))
    volume_low: Mapped[int] = mapped_column(Integer)
    volume_likely: Mapped[int] = mapped_column(Integer)
    volume_high: Mapped[int] = mapped_column(Integer)
    staff_minutes: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(0))
    cost_per_contact_pence: Mapped[int] = mapped_column(BigInteger)
