"""A round's public moments as feed entries (opened, closed, decided), for the priorities feeds
(`/feeds/priorities.atom`, per council `/feeds/councils/<code>/priorities.atom`) to list beside
the consultations' entries. Plain data: the feeds domain builds Atom and RSS from it.

A round's first close and its decision each make an entry; a second (Delphi) scoring's close
replaces the first close's entry, since `closed_at` is the latest close.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.choosing.models import Round
from app.councils.models import Council
from app.extensions import db

FEED_LIMIT = 50


@dataclass(frozen=True)
class RoundFeedEntry:
    entry_id: str  # stable: the same moment of the same round always has the same id
    kind: str  # opened | closed | decided
    title: str
    summary: str
    path: str  # the round's page, /rounds/<id>
    at: datetime
    council_code: str
    council_name: str


def _entries(round_: Round) -> list[RoundFeedEntry]:
    council = round_.council
    moments = [
        ("opened", round_.opened_at, f"Round opened: {round_.title}",
         f"{council.nice_name} opened a prioritisation round over {len(round_.idea_links)} ideas."),
        ("closed", round_.closed_at, f"Round closed: {round_.title}",
         "Scoring has closed; the result is published."),
        ("decided", round_.decided_at, f"Round decided: {round_.title}",
         f"{council.nice_name} recorded its decision ({round_.meeting}, minute "
         f"{round_.minute_reference})."),
    ]  # fmt: skip
    return [
        RoundFeedEntry(
            entry_id=f"round-{round_.id}-{kind}",
            kind=kind,
            title=title,
            summary=summary,
            path=f"/rounds/{round_.id}",
            at=at,
            council_code=council.code,
            council_name=council.nice_name,
        )
        for kind, at, title, summary in moments
        if at is not None
    ]


def round_feed_entries(
    council_code: str | None = None, limit: int = FEED_LIMIT
) -> list[RoundFeedEntry]:
    """The newest entries of every public round (or one council's), newest first."""
    query = (
        select(Round)
        .where(Round.status != "draft")
        .options(selectinload(Round.council), selectinload(Round.idea_links))
        .order_by(Round.updated_at.desc())
        .limit(limit)
    )
    if council_code is not None:
        query = query.join(Council, Council.id == Round.council_id).where(
            Council.code == council_code.upper()
        )
    entries = [e for round_ in db.session.scalars(query) for e in _entries(round_)]
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]


def rounds_changed_at(council_code: str | None = None) -> datetime | None:
    """The newest public change to any round (a feed's fingerprint)."""
    entries = round_feed_entries(council_code, limit=1)
    return entries[0].at if entries else None
