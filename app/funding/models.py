"""Funding programmes run by central government, and the awards they make to pilots."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.db_types import UTCDateTime, utcnow
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import Pilot


class Programme(db.Model):  # type: ignore[name-defined]
    """A funding programme (or one round of it) from a funder such as a government department."""

    __tablename__ = "funding_programmes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    funder_name: Mapped[str] = mapped_column(String(200))
    funder_org_id: Mapped[str] = mapped_column(String(60))
    round: Mapped[str] = mapped_column(String(60), default="", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    total_budget_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    # Days after a funded trial ends that its outcome report is due; None means the registry's.
    report_due_days: Mapped[int | None] = mapped_column(Integer)
    conditions: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pillar_links: Mapped[list[ProgrammePillar]] = relationship(
        cascade="all, delete-orphan", order_by="ProgrammePillar.pillar_slug"
    )
    awards: Mapped[list[Award]] = relationship(back_populates="programme", order_by="Award.id")

    @property
    def pillars(self) -> list[str]:
        return [link.pillar_slug for link in self.pillar_links]

    def __repr__(self) -> str:
        return f"<Programme {self.slug}>"


class ProgrammePillar(db.Model):  # type: ignore[name-defined]
    __tablename__ = "funding_programme_pillars"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("funding_programmes.id", ondelete="CASCADE"), primary_key=True
    )
    pillar_slug: Mapped[str] = mapped_column(String(40), primary_key=True)


class Award(db.Model):  # type: ignore[name-defined]
    """Money a programme awarded to one council for one pilot; amounts in pence."""

    __tablename__ = "funding_awards"
    __table_args__ = (
        UniqueConstraint("programme_id", "reference", name="uq_funding_awards_reference"),
        CheckConstraint("amount_awarded_pence >= 0", name="awarded_not_negative"),
        CheckConstraint(
            "amount_disbursed_pence >= 0 AND amount_disbursed_pence <= amount_awarded_pence",
            name="disbursed_within_awarded",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("funding_programmes.id"), index=True)
    # Active history: the search index must hear which pilot an award was moved away from.
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True, active_history=True)
    recipient_council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    reference: Mapped[str] = mapped_column(String(60))
    amount_awarded_pence: Mapped[int] = mapped_column(BigInteger)
    amount_disbursed_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    award_date: Mapped[date] = mapped_column(Date, index=True)
    planned_start_date: Mapped[date | None] = mapped_column(Date)
    planned_end_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="awards")
    pilot: Mapped[Pilot] = relationship(active_history=True)
    recipient: Mapped[Council] = relationship()

    def __repr__(self) -> str:
        return f"<Award {self.reference} {self.amount_awarded_pence}p>"
