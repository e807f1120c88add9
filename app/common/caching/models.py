"""The content generation's row: the token that every cached page is filed under."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

ROW_ID = 1  # the one row


class ContentGeneration(db.Model):  # type: ignore[name-defined]
    """One row: the token of the newest committed write."""

    __tablename__ = "content_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
