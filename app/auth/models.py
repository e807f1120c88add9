from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.db_types import UTCDateTime, utcnow
from app.councils.models import Council
from app.extensions import db

ROLES = ("editor", "council-admin", "funder", "admin")
COUNCIL_ROLES = ("editor", "council-admin")


class User(db.Model):  # type: ignore[name-defined]
    """A person, identified by their provider's (issuer, subject), never by email alone."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_users_issuer_subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(320), default="")
    email_verified: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="Membership.user_id"
    )

    @property
    def display_name(self) -> str:
        return self.name or self.email or f"User {self.id}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Membership(db.Model):  # type: ignore[name-defined]
    """A role held by a user: council roles name a council; funder and admin do not."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "council_id", name="uq_memberships_user_role_council"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="approved")  # pending | approved
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    council: Mapped[Council | None] = relationship()
