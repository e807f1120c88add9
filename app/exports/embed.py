"""A council's widget: its public pilots and what they proved, for another site to show.

Three forms of the same content: a small page made to sit in an `<iframe>` (the only page any
site may frame; see app.common.web.frameable_by_any_site), a plain HTML fragment and JSON for
content management systems that fetch content and style it themselves. Each pilot is told in
the council's own words: its summary and, once concluded, what its outcome report says was
learnt.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.common.markdown import plain_text
from app.common.web import absolute_url
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import PUBLIC_STATUSES, OutcomeReport, Pilot, pilot_partners

MOST_PILOTS = 20  # a widget is a taster: the full list is one link away
WORDS_SHOWN = 300  # characters of a summary or a lesson


@dataclass(frozen=True)
class EmbeddedPilot:
    title: str
    url: str
    role: str  # "lead" or "partner"
    status: str
    verdict: str | None
    summary: str
    learnt: str
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class CouncilEmbed:
    code: str
    name: str
    url: str
    pilots: list[EmbeddedPilot]
    total: int


def _shorten(text: str) -> str:
    # plain_text leaves entities escaped (it is written for feeds); here Jinja escapes once.
    words = html.unescape(plain_text(text))
    if len(words) <= WORDS_SHOWN:
        return words
    return words[: WORDS_SHOWN - 1].rsplit(" ", 1)[0] + "…"


def council_embed(council: Council) -> CouncilEmbed:
    """The council's public pilots, led or partnered, newest first (by start date; those not
    yet started by when they were registered), with what each concluded one proved."""
    partnered = select(pilot_partners.c.pilot_id).where(pilot_partners.c.council_id == council.id)
    involving = (Pilot.lead_council_id == council.id) | Pilot.id.in_(partnered)
    query = (
        select(Pilot)
        .where(Pilot.status.in_(PUBLIC_STATUSES), involving)
        .order_by(
            Pilot.start_date.desc().nulls_last(),
            Pilot.registered_at.desc().nulls_last(),
            Pilot.id.desc(),
        )
        .options(selectinload(Pilot.lead_council))
    )
    pilots = list(db.session.scalars(query))
    shown = pilots[:MOST_PILOTS]
    reports = {
        r.pilot_id: r
        for r in db.session.scalars(
            select(OutcomeReport).where(OutcomeReport.pilot_id.in_([p.id for p in shown]))
        )
    }
    return CouncilEmbed(
        code=council.code,
        name=council.nice_name,
        url=absolute_url("councils.council", code=council.slug),
        pilots=[_embedded(p, council, reports.get(p.id)) for p in shown],
        total=len(pilots),
    )


def _embedded(pilot: Pilot, council: Council, report: OutcomeReport | None) -> EmbeddedPilot:
    return EmbeddedPilot(
        title=pilot.title,
        url=absolute_url("pilots.show", slug=pilot.slug),
        role="lead" if pilot.lead_council_id == council.id else "partner",
        status=pilot.status,
        verdict=pilot.verdict if pilot.status == "concluded" else None,
        summary=_shorten(pilot.summary or pilot.hypothesis),
        learnt=_shorten(report.narrative) if report else "",
        start_date=pilot.start_date,
        end_date=pilot.actual_end_date or pilot.planned_end_date,
    )


def embed_document(embed: CouncilEmbed) -> dict[str, Any]:
    """The widget as JSON: plain text and absolute addresses, dates as YYYY-MM-DD."""
    return {
        "council": {"code": embed.code, "name": embed.name, "url": embed.url},
        "total": embed.total,
        "pilots": [
            {
                "title": p.title,
                "url": p.url,
                "role": p.role,
                "status": p.status,
                "verdict": p.verdict,
                "summary": p.summary,
                "learnt": p.learnt,
                "start_date": p.start_date.isoformat() if p.start_date else None,
                "end_date": p.end_date.isoformat() if p.end_date else None,
            }
            for p in embed.pilots
        ],
    }
