"""Residents' priorities: a council's short public consultation, its options and its answers.

A consultation is a draft until its council opens it, takes answers while open (online, one per
browser session, or entered by staff from paper, phone and in person) and publishes its counts
only once closed. A comment left with an answer is shown only after a council admin approves it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.choosing.models.ideas import Idea
from app.common.db_types import UTCDateTime, utcnow
from app.councils.models import Council
from app.extensions import db

CONSULTATION_STATES = ("draft", "open", "closed")
# pick: choose up to `max_choices` options; rank: put up to `max_choices` options in order.
ANSWER_MODES = ("pick", "rank")
CHANNELS = ("online", "paper", "phone", "in-person")
OFFLINE_CHANNELS = ("paper", "phone", "in-person")
COMMENT_STATES = ("none", "waiting", "approved", "hidden")


class Consultation(db.Model):  # type: ignore[name-defined]
    """One question put to a council's residents, with its options and close date."""

    __tablename__ = "consultations"
    __table_args__ = (CheckConstraint("max_choices >= 1", name="at_least_one_choice"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    question: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    answer_mode: Mapped[str] = mapped_column(String(10), default="pick")
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    # The last day answers are taken (inclusive, by the UK calendar date in UTC).
    closes_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    council: Mapped[Council] = relationship()
    created_by: Mapped[User | None] = relationship()
    options: Mapped[list[ConsultationOption]] = relationship(
        back_populates="consultation",
        cascade="all, delete-orphan",
        order_by="ConsultationOption.position",
    )

    @property
    def is_public(self) -> bool:
        return self.status in ("open", "closed")

    def __repr__(self) -> str:
        return f"<Consultation {self.id} {self.status}>"


class ConsultationOption(db.Model):  # type: ignore[name-defined]
    """One answer people may choose: a service area in words, or one of the council's ideas."""

    __tablename__ = "consultation_options"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="SET NULL"), index=True
    )

    consultation: Mapped[Consultation] = relationship(back_populates="options")
    idea: Mapped[Idea | None] = relationship()


class ConsultationAnswer(db.Model):  # type: ignore[name-defined]
    """One person's answer, however it reached the council; its comment waits for moderation."""

    __tablename__ = "consultation_answers"
    __table_args__ = (
        # One online answer per browser session: the key is a hash of a token in its cookie.
        UniqueConstraint("consultation_id", "session_key", name="uq_consultation_answers_session"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(10))
    session_key: Mapped[str | None] = mapped_column(String(64))
    # The member of staff who typed in an answer taken on paper, by phone or in person.
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    comment_status: Mapped[str] = mapped_column(String(10), default="none")
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    consultation: Mapped[Consultation] = relationship()
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    moderated_by: Mapped[User | None] = relationship(foreign_keys=[moderated_by_id])
    choices: Mapped[list[AnswerChoice]] = relationship(
        cascade="all, delete-orphan", order_by="AnswerChoice.rank"
    )


class AnswerChoice(db.Model):  # type: ignore[name-defined]
    """An option an answer chose; `rank` is its place (1 = first) in a ranked consultation."""

    __tablename__ = "consultation_answer_choices"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_answers.id", ondelete="CASCADE"), primary_key=True
    )
    option_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_options.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rank: Mapped[int] = mapped_column(Integer, default=1)

    option: Mapped[ConsultationOption] = relationship()
