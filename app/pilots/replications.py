"""Replications: pilots that repeat or adapt an earlier one, and what they found together."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.pilots.models import PUBLIC_STATUSES, VERDICTS, Pilot

REPLICATION_KINDS = {"replicates": "Replicates", "adapts": "Adapts"}


def replications_of(pilot: Pilot) -> list[Pilot]:
    """Every public pilot that replicates or adapts this one, directly or down a chain."""
    found: list[Pilot] = []
    seen = {pilot.id}
    frontier = [pilot.id]
    while frontier:
        children = list(
            db.session.scalars(
                select(Pilot)
                .where(Pilot.replicates_id.in_(frontier), Pilot.status.in_(PUBLIC_STATUSES))
                .options(selectinload(Pilot.lead_council))
                .order_by(Pilot.start_date, Pilot.id)
            )
        )
        children = [c for c in children if c.id not in seen]
        seen.update(c.id for c in children)
        found.extend(children)
        frontier = [c.id for c in children]
    return found


@dataclass
class EvidenceSummary:
    pilots: int
    councils: int
    verdicts: dict[str, int]
    under_way: int

    def __str__(self) -> str:
        parts = [f"{n} {v}" for v, n in self.verdicts.items() if n]
        if self.under_way:
            parts.append(f"{self.under_way} not yet concluded")
        noun = "council" if self.councils == 1 else "councils"
        times = f" {self.pilots} times" if self.pilots != self.councils else ""
        return f"Tried{times} by {self.councils} {noun}: {', '.join(parts)}"


def evidence_summary(pilot: Pilot, replications: list[Pilot]) -> EvidenceSummary:
    """Across the original and its replications: how many councils, and their verdicts."""
    tried = [pilot, *replications]
    verdicts = Counter(p.verdict for p in tried if p.status == "concluded" and p.verdict)
    return EvidenceSummary(
        pilots=len(tried),
        councils=len({p.lead_council_id for p in tried}),
        verdicts={v: verdicts[v] for v in VERDICTS},
        under_way=sum(1 for p in tried if p.status != "concluded"),
    )


def replication_problem(pilot: Pilot | None, earlier: Pilot | None, slug: str) -> str | None:
    """Why the earlier pilot cannot be named, or None if it can."""
    if earlier is None or not earlier.is_public:
        return f"There is no public pilot with the address {slug!r}"
    if pilot is not None and (
        earlier.id == pilot.id or earlier.id in {p.id for p in replications_of(pilot)}
    ):
        return "A pilot cannot replicate itself or one of its own replications"
    return None
