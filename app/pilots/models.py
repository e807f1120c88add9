from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.common.db_types import SearchVector, UTCDateTime, utcnow
from app.councils.models import Council
from app.extensions import db

STATUSES = ("draft", "registered", "running", "concluded", "stopped", "withdrawn")
PUBLIC_STATUSES = STATUSES[1:]
VERDICTS = ("proved", "disproved", "inconclusive")

pilot_partners = Table(
    "pilot_partners",
    db.metadata,
    Column("pilot_id", ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True),
    Column("council_id", ForeignKey("councils.id"), primary_key=True, index=True),
)


class Pilot(db.Model):  # type: ignore[name-defined]
    """A small, time-boxed trial run by a lead council to prove or disprove a hypothesis."""

    __tablename__ = "pilots"
    __table_args__ = (
        Index("ix_pilots_search_vector", "search_vector", postgresql_using="gin"),
        # Every pilot feed's fingerprint counts public pilots and takes their newest change, and
        # every rebuild wants the newest 50 of them: with (status, updated_at) both are answered
        # from the index alone, without reading a single pilot row.
        Index("ix_pilots_status_updated_at", "status", "updated_at"),
        # A council's page and its reporting record read only that council's pilots.
        Index("ix_pilots_lead_council_id_status", "lead_council_id", "status"),
        # ...the latest changed first, 20 at a time.
        Index("ix_pilots_lead_council_id_updated_at", "lead_council_id", "updated_at"),
        # Counts by verdict read the index alone, never the (wide) pilot rows.
        Index("ix_pilots_verdict_status", "verdict", "status"),
        # /map counts public pilots by lead council and verdict, and through pilot_partners by
        # partner, and finds those placed on the map, from this index alone (migration 0022).
        Index(
            "ix_pilots_status_lead_verdict",
            "status",
            "lead_council_id",
            "verdict",
            "latitude",
            "longitude",
        ),
        # A council's widget: its latest 20 led, read in order from the index (migration 0022).
        Index(
            "ix_pilots_lead_council_id_started",
            "lead_council_id",
            "start_date",
            "registered_at",
            "status",
        ),
        # Every reporting pilot, read from this index alone (a full refresh of report_dates).
        Index(
            "ix_pilots_reporting",
            "status",
            "lead_council_id",
            "planned_end_date",
            "actual_end_date",
            "title",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(140))
    summary: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    hypothesis: Mapped[str] = mapped_column(Text)
    approach: Mapped[str] = mapped_column(Text, default="")
    offline_access: Mapped[str] = mapped_column(Text, default="")
    case_study: Mapped[str] = mapped_column(Text, default="")
    lead_council_id: Mapped[int] = mapped_column(
        ForeignKey("councils.id"), index=True, active_history=True
    )
    location: Mapped[str] = mapped_column(String(200), default="")
    location_gss: Mapped[str | None] = mapped_column(String(9))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    planned_cost_pence: Mapped[int | None] = mapped_column(BigInteger)
    actual_cost_pence: Mapped[int | None] = mapped_column(BigInteger)
    start_date: Mapped[date | None] = mapped_column(Date)
    planned_end_date: Mapped[date | None] = mapped_column(Date)
    actual_end_date: Mapped[date | None] = mapped_column(Date)
    # Setting these loads the value they replace (active_history), so that the kept counts
    # (counts.py) know which ones a change leaves as well as which it joins.
    status: Mapped[str] = mapped_column(
        String(12), default="draft", index=True, active_history=True
    )
    verdict: Mapped[str | None] = mapped_column(String(12), index=True, active_history=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    evaluation_design: Mapped[int | None] = mapped_column(Integer)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replicates_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id"), index=True)
    replication_kind: Mapped[str | None] = mapped_column(String(10))  # replicates | adapts
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Written by app.search for the PostgreSQL backend; never loaded with the pilot.
    search_vector: Mapped[str | None] = mapped_column(SearchVector, deferred=True)

    lead_council: Mapped[Council] = relationship(
        foreign_keys=[lead_council_id], active_history=True
    )
    partners: Mapped[list[Council]] = relationship(
        secondary=pilot_partners, order_by="Council.nice_name"
    )
    pillar_links: Mapped[list[PilotPillar]] = relationship(
        cascade="all, delete-orphan", order_by="PilotPillar.pillar_slug"
    )
    tag_links: Mapped[list[PilotTag]] = relationship(
        cascade="all, delete-orphan", order_by="PilotTag.tag"
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    replicates: Mapped[Pilot | None] = relationship(remote_side=[id])

    @property
    def pillars(self) -> list[str]:
        return [link.pillar_slug for link in self.pillar_links]

    @property
    def tags(self) -> list[str]:
        return [link.tag for link in self.tag_links]

    @property
    def is_public(self) -> bool:
        return self.status != "draft"

    def __repr__(self) -> str:
        return f"<Pilot {self.slug} {self.status}>"


class PilotPillar(db.Model):  # type: ignore[name-defined]
    __tablename__ = "pilot_pillars"

    pilot_id: Mapped[int] = mapped_column(
        ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True
    )
    pillar_slug: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class PilotTag(db.Model):  # type: ignore[name-defined]
    __tablename__ = "pilot_tags"

    pilot_id: Mapped[int] = mapped_column(
        ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class PilotEvent(db.Model):  # type: ignore[name-defined]
    """A lifecycle event (created, registered, amended, concluded, …): the events feed's source."""

    __tablename__ = "pilot_events"
    __table_args__ = (UniqueConstraint("pilot_id", "sequence", name="uq_pilot_events_sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    pilot: Mapped[Pilot] = relationship()
    actor: Mapped[User | None] = relationship()


# The prove/disprove tracker: success measures, frozen versions, outcome reports, extensions and
# progress updates. Numbers are Numeric so targets and results compare exactly.
MEASURE_KINDS = ("primary", "secondary")
DIRECTIONS = ("higher", "lower")


class SuccessMeasure(db.Model):  # type: ignore[name-defined]
    """How a pilot will be judged: a target, and the value at which the hypothesis is disproved."""

    __tablename__ = "success_measures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(140))
    method: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(40), default="")
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(16, 4))
    target: Mapped[Decimal] = mapped_column(Numeric(16, 4))
    disproved_if: Mapped[Decimal] = mapped_column(Numeric(16, 4))
    direction: Mapped[str] = mapped_column(String(6), default="higher")
    time_frame: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(10), default="primary")
    post_hoc: Mapped[bool] = mapped_column(default=False)
    result_value: Mapped[Decimal | None] = mapped_column(Numeric(16, 4))
    result_date: Mapped[date | None] = mapped_column(Date)
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    evidence_description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pilot: Mapped[Pilot] = relationship()


class PilotVersion(db.Model):  # type: ignore[name-defined]
    """One frozen registration or amendment; never edited or deleted, chained by hashes."""

    __tablename__ = "pilot_versions"
    __table_args__ = (UniqueConstraint("pilot_id", "major", "minor", name="uq_pilot_versions"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    major: Mapped[int] = mapped_column(Integer)
    minor: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    diff: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str | None] = mapped_column(String(64))

    pilot: Mapped[Pilot] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"


class OutcomeReport(db.Model):  # type: ignore[name-defined]
    """What was learnt, and the verdict: the one the registry proposed and the one confirmed."""

    __tablename__ = "outcome_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), unique=True)
    narrative: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    proposed_verdict: Mapped[str] = mapped_column(String(12))
    verdict: Mapped[str] = mapped_column(String(12))
    justification: Mapped[str] = mapped_column(Text, default="")
    reported_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pilot: Mapped[Pilot] = relationship()
    author: Mapped[User | None] = relationship()


class ReportExtension(db.Model):  # type: ignore[name-defined]
    """A later due date for a pilot's outcome report; only approved ones count."""

    __tablename__ = "report_extensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pilot: Mapped[Pilot] = relationship()


class ProgressUpdate(db.Model):  # type: ignore[name-defined]
    """A dated short note on a pilot from its lead or a partner council."""

    __tablename__ = "progress_updates"
    # A pilot's latest update (worklists, the dashboard's quiet trials) without a sort.
    __table_args__ = (Index("ix_progress_updates_pilot_id_on", "pilot_id", "on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pilot: Mapped[Pilot] = relationship()
    council: Mapped[Council] = relationship()
    author: Mapped[User | None] = relationship()


class ReportDates(db.Model):  # type: ignore[name-defined]
    """When a reporting pilot's outcome report is due, and from which day it counts as reported,
    past its deadline or due in its council's record: worked out from the pilot, its report, its
    extensions and its programmes' conditions on every write (report_dates.py), so that /overdue
    and councils' reporting records are ranges of an index. Days with no date are `date.max`
    (never) and `date.min` (always): a range never has to allow for NULL."""

    __tablename__ = "report_dates"
    __table_args__ = (
        # /overdue: past the deadline, in the order shown, still unreported (a page of 50).
        Index("ix_report_dates_overdue", "deadline", "title", "pilot_id", "reported_from"),
        # Each council's record: how many count as due, reported and late, by day.
        Index("ix_report_dates_council_counted", "council_id", "counted_from"),
        Index("ix_report_dates_council_reported", "council_id", "reported_from", "late"),
    )

    pilot_id: Mapped[int] = mapped_column(
        ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True
    )
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"))
    title: Mapped[str] = mapped_column(String(140))  # the pilot's: /overdue's second order
    due_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)  # due_on plus the grace period
    reported_on: Mapped[date | None] = mapped_column(Date)
    reported_from: Mapped[date] = mapped_column(Date)  # date.max until it is reported
    counted_from: Mapped[date] = mapped_column(Date)  # reported, or past the deadline
    late: Mapped[bool] = mapped_column()
    extended: Mapped[bool] = mapped_column()


class PilotCount(db.Model):  # type: ignore[name-defined]
    """How many public pilots there are of each status, each verdict (concluded ones), under
    each pillar and led by each council (`facet`, `value`: "pillar", "inclusion"; "lead", the
    council's id), and what /map shows of each council (counts.MAP_FACETS): kept by counts.py
    on every write, so that the pages which show these
    counts read them instead of counting the registry."""

    __tablename__ = "pilot_counts"

    facet: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)
    pilots: Mapped[int] = mapped_column(Integer)
