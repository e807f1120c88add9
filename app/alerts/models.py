"""Email alerts: an address, what it follows, and a record of every email sent to it.

An address is personal data held only for alerts: it goes (with its sends) when its last alert
goes. `token_key` is a random value mixed into every signed link to the address, so a link is
useless once the address is deleted, and nothing in a link can be guessed from an id.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.db_types import UTCDateTime, utcnow
from app.extensions import db

SUBJECT_KINDS = ("pilot", "council", "pillar", "programme", "search")
FREQUENCIES = ("immediate", "weekly")


def new_token_key() -> str:
    return secrets.token_urlsafe(16)


class AlertAddress(db.Model):  # type: ignore[name-defined]
    """An email address that has asked for alerts (stored for nothing else)."""

    __tablename__ = "alert_addresses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    token_key: Mapped[str] = mapped_column(String(32), default=new_token_key)
    # The one live confirmation link's nonce; cleared when it is used, so a link works once.
    confirm_nonce: Mapped[str | None] = mapped_column(String(32))
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alerts: Mapped[list[Alert]] = relationship(
        back_populates="address", cascade="all, delete-orphan", order_by="Alert.id"
    )


class Alert(db.Model):  # type: ignore[name-defined]
    """One thing an address follows: a pilot (its id), a council (its code), a pillar or a
    programme (their slugs) or a saved search (the /search query string)."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("address_id", "subject_kind", "subject_key", name="uq_alerts_subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address_id: Mapped[int] = mapped_column(
        ForeignKey("alert_addresses.id", ondelete="CASCADE"), index=True
    )
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_key: Mapped[str] = mapped_column(String(500))
    frequency: Mapped[str] = mapped_column(String(10), default="immediate")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    address: Mapped[AlertAddress] = relationship(back_populates="alerts")


class AlertSend(db.Model):  # type: ignore[name-defined]
    """One email, by its idempotency key ("event:<alert>:<event>", "digest:<address>:<week>",
    "confirm:<address>:<nonce>"). The row is written before sending and marked after: a retried
    job that finds the key sends nothing again."""

    __tablename__ = "alert_sends"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    address_id: Mapped[int] = mapped_column(
        ForeignKey("alert_addresses.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
