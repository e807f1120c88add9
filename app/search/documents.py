"""What the index holds for a pilot: its searchable text and facet values, built one way for
both backends so they agree on what is found."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from app.common.money import cost_band
from app.common.text import strip_control
from app.pilots.models import OutcomeReport, Pilot


@dataclass
class SearchDocument:
    """A public pilot as the index sees it."""

    pilot_id: int
    title: str
    # Weighted text: high (hypothesis, tags, summary), normal (everything else).
    high: str
    body: str
    pillars: list[str] = field(default_factory=list)
    councils: list[str] = field(default_factory=list)
    region: str = ""
    council_type: str = ""
    status: str = ""
    verdict: str = ""
    cost_band: str = ""
    cost_pence: int = -1
    start_year: str = ""
    updated_at: datetime | None = None
    similar_text: str = ""
    tags: str = ""
    programmes: list[str] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """A fingerprint of everything indexed: different when the index is out of step."""
        parts = [
            self.title, self.high, self.body, ",".join(self.pillars), ",".join(self.councils),
            self.region, self.council_type, self.status, self.verdict, self.cost_band,
            str(self.cost_pence), self.start_year, ",".join(self.programmes),
        ]  # fmt: skip
        return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()


def pilot_cost(pilot: Pilot) -> int | None:
    """The cost a reader compares: the actual cost once known, else the planned one."""
    return (
        pilot.actual_cost_pence if pilot.actual_cost_pence is not None else pilot.planned_cost_pence
    )


def region_of(nation: str, region: str) -> str:
    """Region within England, otherwise the nation."""
    return region if nation == "England" and region else nation


def outcome_text(report: OutcomeReport | None) -> str:
    """What the outcome report says was learnt, as searchable text."""
    if report is None:
        return ""
    return "\n".join(p for p in (report.narrative, report.advice, report.justification) if p)


def build_document(
    pilot: Pilot,
    pillar_names: dict[str, str],
    outcome: str = "",
    programmes: list[str] | None = None,
) -> SearchDocument:
    """The index document for a public pilot (the caller skips drafts), with what its outcome
    report says and the slugs of the funding programmes that award it money."""
    lead = pilot.lead_council
    councils = [lead, *pilot.partners]
    cost = pilot_cost(pilot)
    names = [pillar_names.get(slug, slug) for slug in pilot.pillars]
    tags = " ".join(pilot.tags)
    body = "\n".join(
        strip_control(part)
        for part in (
            pilot.problem,
            pilot.approach,
            pilot.case_study,
            pilot.status_reason,
            outcome,
            pilot.location,
            " ".join(c.nice_name for c in councils),
            " ".join(names),
        )
        if part
    )
    return SearchDocument(
        pilot_id=pilot.id,
        title=strip_control(pilot.title),
        high="\n".join(strip_control(p) for p in (pilot.hypothesis, tags, pilot.summary) if p),
        body=body,
        pillars=list(pilot.pillars),
        councils=[c.code for c in councils],
        region=region_of(lead.nation, lead.region),
        council_type=lead.la_type or "",
        status=pilot.status,
        verdict=pilot.verdict or "",
        cost_band=cost_band(cost) or "",
        cost_pence=cost if cost is not None else -1,
        start_year=str(pilot.start_date.year) if pilot.start_date else "",
        updated_at=pilot.updated_at,
        similar_text=" ".join((pilot.title, pilot.hypothesis, tags)),
        tags=tags,
        programmes=sorted(set(programmes or ())),
    )
