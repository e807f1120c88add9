"""A prioritisation round: a council's panel scores some of its ideas against weighted criteria.

Lifecycle: draft → open → scoring → closed → decided, with an optional second (Delphi) scoring
closed → rescoring → closed. At opening the configuration (ideas, criteria, weights, definitions,
panel) is frozen into `config` with its SHA-256 in `config_hash`; a later change before scoring is
an amendment with a reason, which freezes it afresh. Scores are kept per scoring (1, then 2 for
the Delphi second scoring), so both are kept.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.choosing.models.consultations import Consultation
from app.choosing.models.ideas import Idea
from app.common.db_types import UTCDateTime, utcnow
from app.councils.models import Council
from app.extensions import db

ROUND_STATUSES = ("draft", "open", "scoring", "closed", "rescoring", "decided")
# Scores are hidden from everyone but their scorer in these states.
SCORING_STATUSES = ("scoring", "rescoring")
DIRECTIONS = ("higher", "lower")


class Round(db.Model):  # type: ignore[name-defined]
    """A council's prioritisation round over some of its ideas."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    title: Mapped[str] = mapped_column(String(140))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    # Scorers' names replaced by stable pseudonyms in everything published.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # 1 while the first scoring runs; 2 once a second (Delphi) scoring has begun.
    scoring: Mapped[int] = mapped_column(Integer, default=1)
    config: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    config_hash: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scoring_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The decision: the ideas chosen in order, why it departs from the ranking (if it does),
    # and where it was taken.
    chosen_idea_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    departure_reason: Mapped[str] = mapped_column(Text, default="")
    meeting: Mapped[str] = mapped_column(String(200), default="")
    minute_reference: Mapped[str] = mapped_column(String(100), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    council: Mapped[Council] = relationship()
    idea_links: Mapped[list[RoundIdea]] = relationship(
        cascade="all, delete-orphan", order_by="RoundIdea.position"
    )
    criteria: Mapped[list[RoundCriterion]] = relationship(
        cascade="all, delete-orphan", order_by="RoundCriterion.position"
    )
    panel: Mapped[list[Panelist]] = relationship(
        cascade="all, delete-orphan", order_by="Panelist.pseudonym"
    )
    # Closed consultations of the council whose published counts the panel scores with.
    evidence_links: Mapped[list[RoundConsultation]] = relationship(
        cascade="all, delete-orphan", order_by="RoundConsultation.position"
    )
    amendments: Mapped[list[RoundAmendment]] = relationship(
        cascade="all, delete-orphan", order_by="RoundAmendment.id"
    )
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def ideas(self) -> list[Idea]:
        return [link.idea for link in self.idea_links]

    @property
    def evidence(self) -> list[Consultation]:
        return [link.consultation for link in self.evidence_links]

    @property
    def is_public(self) -> bool:
        return self.status != "draft"

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.status}>"


class RoundIdea(db.Model):  # type: ignore[name-defined]
    __tablename__ = "round_ideas"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)

    idea: Mapped[Idea] = relationship()


class RoundConsultation(db.Model):  # type: ignore[name-defined]
    """A closed consultation attached to a round as evidence (part of its frozen configuration)."""

    __tablename__ = "round_consultations"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    consultation: Mapped[Consultation] = relationship()


class RoundCriterion(db.Model):  # type: ignore[name-defined]
    """A criterion with its weight, its direction and a one-line definition of each score."""

    __tablename__ = "round_criteria"
    __table_args__ = (CheckConstraint("weight > 0", name="weight_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    weight: Mapped[Decimal] = mapped_column(Numeric(7, 3))
    direction: Mapped[str] = mapped_column(String(6), default="higher")
    # What a score of 1, 2, 3, 4 and 5 means, one line each.
    definitions: Mapped[list[str]] = mapped_column(JSON, default=list)


class Panelist(db.Model):  # type: ignore[name-defined]
    """A member of the round's panel, with the pseudonym used when the round is anonymous."""

    __tablename__ = "round_panelists"
    __table_args__ = (
        UniqueConstraint("round_id", "pseudonym", name="uq_round_panelists_pseudonym"),
    )

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    pseudonym: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class RoundAmendment(db.Model):  # type: ignore[name-defined]
    """A visible change to an opened round's configuration, with its reason and new hash."""

    __tablename__ = "round_amendments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    previous_hash: Mapped[str] = mapped_column(String(64))
    config_hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()


class Declaration(db.Model):  # type: ignore[name-defined]
    """A panel member's declared interest, published with the result."""

    __tablename__ = "round_declarations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    idea: Mapped[Idea | None] = relationship()


class Score(db.Model):  # type: ignore[name-defined]
    """One scorer's score of one idea on one criterion, in the first or the second scoring."""

    __tablename__ = "round_scores"
    __table_args__ = (
        UniqueConstraint(
            "round_id", "scoring", "user_id", "idea_id", "criterion_id", name="uq_round_scores_cell"
        ),
        CheckConstraint("value BETWEEN 1 AND 5", name="value_one_to_five"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    scoring: Mapped[int] = mapped_column(Integer, default=1)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("round_criteria.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
