from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.common.db_types import UTCDateTime, utcnow
from app.extensions import db

NATION_ORG_PREFIX = {
    "England": "GB-LAE",
    "Scotland": "GB-LAS",
    "Wales": "GB-PLA",
    "Northern Ireland": "GB-LANI",
}


class Council(db.Model):  # type: ignore[name-defined]
    """A UK local authority, keyed by its three-letter register code."""

    __tablename__ = "councils"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    official_name: Mapped[str] = mapped_column(String(200))
    nice_name: Mapped[str] = mapped_column(String(200))
    gss_code: Mapped[str | None] = mapped_column(String(9))
    nation: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(80), default="")
    la_type: Mapped[str] = mapped_column(String(10), default="")
    la_type_name: Mapped[str] = mapped_column(String(80), default="")
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # The register's centroid (WGS84 degrees) and its 2020 population estimate: where the map
    # puts the council, and how many people its pilots could reach.
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    population_2020: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def org_id(self) -> str:
        return f"{NATION_ORG_PREFIX[self.nation]}-{self.code}"

    @property
    def slug(self) -> str:
        return self.code.lower()

    def __repr__(self) -> str:
        return f"<Council {self.code}>"
