"""An idea: a council's candidate pilot before any is chosen.

An idea is private to its council until it is published: on its own, or by being put in an
opened consultation or an opened round (each sets `published_at` then). Once chosen it becomes
a draft pilot, and `pilot_id` points at it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.common.db_types import UTCDateTime, utcnow
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import Pilot

# Who raised the idea: an officer, a councillor, residents through a consultation, a partner.
RAISED_BY = ("officer", "member", "resident-consultation", "partner")
# A rough cost, before any appraisal: bands rather than pence, because nobody knows yet.
COST_BANDS = ("under-10k", "10k-50k", "50k-250k", "over-250k")


class Idea(db.Model):  # type: ignore[name-defined]
    """A council's candidate pilot: the need it answers, who raised it and its rough cost."""

    __tablename__ = "ideas"
    # A council's ideas, latest changed first, 50 a page (migration 0022).
    __table_args__ = (Index("ix_ideas_council_id_updated_at", "council_id", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    title: Mapped[str] = mapped_column(String(140))
    need: Mapped[str] = mapped_column(Text, default="")
    raised_by: Mapped[str] = mapped_column(String(30))
    cost_band: Mapped[str] = mapped_column(String(20))
    # An earlier pilot anywhere in the registry that this idea would replicate.
    replicates_id: Mapped[int | None] = mapped_column(
        ForeignKey("pilots.id", ondelete="SET NULL"), index=True
    )
    # The draft pilot the idea became once chosen.
    pilot_id: Mapped[int | None] = mapped_column(
        ForeignKey("pilots.id", ondelete="SET NULL"), unique=True
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    council: Mapped[Council] = relationship()
    replicates: Mapped[Pilot | None] = relationship(foreign_keys=[replicates_id])
    pilot: Mapped[Pilot | None] = relationship(foreign_keys=[pilot_id])
    pillar_links: Mapped[list[IdeaPillar]] = relationship(
        cascade="all, delete-orphan", order_by="IdeaPillar.pillar_slug"
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    @property
    def pillars(self) -> list[str]:
        return [link.pillar_slug for link in self.pillar_links]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<Idea {self.id} {self.title!r}>"


class IdeaPillar(db.Model):  # type: ignore[name-defined]
    __tablename__ = "idea_pillars"

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    pillar_slug: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
