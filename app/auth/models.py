from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.db_types import UTCDateTime, utcnow
from app.councils.models import Council
from app.extensions import db

ROLES = ("editor", "council-admin", "panel-member", "funder", "admin")
# The roles of a council's staff, who write its pilots and see its drafts.
COUNCIL_ROLES = ("editor", "council-admin")
# A councillor or officer who scores in the council's prioritisation rounds whose panel names
# them, and does nothing else: held for a council, but not one of its staff.
PANEL_MEMBER = "panel-member"
ROLES_HELD_FOR_A_COUNCIL = (*COUNCIL_ROLES, PANEL_MEMBER)


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


class UserSession(db.Model):  # type: ignore[name-defined]
    """A signed-in session held on the server, so signing out ends it even for a copied cookie.

    The cookie carries a random token; only its SHA-256 is stored, so a copy of the database
    cannot be replayed as a session.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


DOMAIN_STATES = ("pending", "approved", "refused")


class CouncilDomain(db.Model):  # type: ignore[name-defined]
    """An email domain a council owns: once a registry admin has approved it, verified addresses
    there join the council without waiting (all but the person who added it). A council admin's
    new domain is `pending` until then; a `refused` one stays on record so it is not asked again.
    """

    __tablename__ = "council_domains"
    __table_args__ = (
        UniqueConstraint("council_id", "domain", name="uq_council_domains_council_domain"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council_id: Mapped[int] = mapped_column(
        ForeignKey("councils.id", ondelete="CASCADE"), index=True
    )
    domain: Mapped[str] = mapped_column(String(253), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # DOMAIN_STATES
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    council: Mapped[Council] = relationship()
    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class AuditEvent(db.Model):  # type: ignore[name-defined]
    """Who did what to what, and when. Rows are only ever added (see app/auth/audit.py)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept as written at the time, so the record survives the actor's account changing.
    actor_name: Mapped[str] = mapped_column(String(320), default="")
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(40))
    target_key: Mapped[str] = mapped_column(String(200), default="")
    target_label: Mapped[str] = mapped_column(String(300), default="")
    council_id: Mapped[int | None] = mapped_column(
        ForeignKey("councils.id", ondelete="SET NULL"), index=True
    )
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
    council: Mapped[Council | None] = relationship()
