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
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from app.common.markdown import plain_text
from app.common.web import absolute_url
from app.councils.models import Council
from app.extensions import db
from app.pilots.counts import count_of
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


def _newest_first(key: tuple[date | None, datetime | None, int]) -> tuple[object, ...]:
    started, registered, pilot_id = key
    return (started is not None, started, registered is not None, registered, pilot_id)


def council_embed(council: Council) -> CouncilEmbed:
    """The council's public pilots, led or partnered, newest first (by start date; those not
    yet started by when they were registered), with what each concluded one proved.

    Only the 20 shown are read: the latest 20 it led (in order from an index) and the latest 20
    it partnered in, merged; the total is the kept count of those it leads and a count of
    those it partners in. Reading every pilot of the busiest council (13 % of the registry)
    took a second of CPU at 100,000 pilots."""
    public = Pilot.status.in_(PUBLIC_STATUSES)
    keys = select(Pilot.start_date, Pilot.registered_at, Pilot.id).order_by(
        Pilot.start_date.desc().nulls_last(),
        Pilot.registered_at.desc().nulls_last(),
        Pilot.id.desc(),
    )
    led = keys.where(Pilot.lead_council_id == council.id, public)
    # A lead listed among its own pilot's partners is counted once, as the lead.
    partnered = keys.join(pilot_partners, pilot_partners.c.pilot_id == Pilot.id).where(
        pilot_partners.c.council_id == council.id, Pilot.lead_council_id != council.id, public
    )
    latest = [
        (started, registered, pilot_id)
        for query in (led, partnered)
        for started, registered, pilot_id in db.session.execute(query.limit(MOST_PILOTS))
    ]
    shown_ids = [k[2] for k in sorted(latest, key=_newest_first, reverse=True)[:MOST_PILOTS]]
    loaded = {
        p.id: p
        for p in db.session.scalars(
            select(Pilot)
            .where(Pilot.id.in_(shown_ids))
            .options(load_only(*_SHOWN_COLUMNS, raiseload=True))
        )
    }
    shown = [loaded[i] for i in shown_ids]
    reports = {
        r.pilot_id: r.narrative
        for r in db.session.execute(
            select(OutcomeReport.pilot_id, OutcomeReport.narrative).where(
                OutcomeReport.pilot_id.in_(shown_ids)
            )
        )
    }
    partnered_count = db.session.scalar(
        select(func.count()).select_from(partnered.order_by(None).subquery())
    )
    return CouncilEmbed(
        code=council.code,
        name=council.nice_name,
        url=absolute_url("councils.council", code=council.slug),
        pilots=[_embedded(p, council, reports.get(p.id)) for p in shown],
        total=count_of("lead", str(council.id)) + (partnered_count or 0),
    )


_SHOWN_COLUMNS = (
    Pilot.title,
    Pilot.slug,
    Pilot.lead_council_id,
    Pilot.status,
    Pilot.verdict,
    Pilot.summary,
    Pilot.hypothesis,
    Pilot.start_date,
    Pilot.actual_end_date,
    Pilot.planned_end_date,
)


def _embedded(pilot: Pilot, council: Council, learnt: str | None) -> EmbeddedPilot:
    return EmbeddedPilot(
        title=pilot.title,
        url=absolute_url("pilots.show", slug=pilot.slug),
        role="lead" if pilot.lead_council_id == council.id else "partner",
        status=pilot.status,
        verdict=pilot.verdict if pilot.status == "concluded" else None,
        summary=_shorten(pilot.summary or pilot.hypothesis),
        learnt=_shorten(learnt) if learnt is not None else "",
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
