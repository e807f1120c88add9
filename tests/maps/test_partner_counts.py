"""A council's partners, counted in SQL (maps/service.py), are what going through each public
pilot it took part in says: on a generated registry where councils lead, partner, and partner
in pilots they lead."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from app.councils.models import Council
from app.extensions import db
from app.maps.service import partner_counts
from app.pilots.models import PUBLIC_STATUSES, Pilot
from bench.registry import generate
from tests.conftest import FIXTURES
from tests.factories import create_pilot


def _by_pilot(council: Council) -> dict[str, tuple[int, int]]:
    led: Counter[str] = Counter()
    partnered: Counter[str] = Counter()
    for pilot in db.session.scalars(select(Pilot).where(Pilot.status.in_(PUBLIC_STATUSES))):
        involved = [pilot.lead_council, *pilot.partners]
        if council not in involved:
            continue
        for other in involved:
            if other.id == council.id:
                continue
            if other.id == pilot.lead_council_id:
                led[other.code] += 1
            else:
                partnered[other.code] += 1
    return {code: (led[code], partnered[code]) for code in led | partnered}


def test_partner_counts_agree_with_each_pilot(app_ctx) -> None:
    registry = generate(300, FIXTURES / "councils.csv")
    councils = list(db.session.scalars(select(Council).order_by(Council.id)))
    busiest = next(c for c in councils if c.code == registry.council_code)
    # A lead listed among its own pilot's partners, and a draft, which counts nowhere.
    create_pilot(busiest, partners=[busiest, councils[1]], status="running")
    create_pilot(councils[2], partners=[busiest], status="draft")
    checked = 0
    for council in [busiest, *councils[:40]]:
        itself, partners = partner_counts(council)
        assert itself.code == council.code
        assert {c.code: (c.led, c.partnered) for c in partners} == _by_pilot(council)
        assert [c.total for c in partners] == sorted((c.total for c in partners), reverse=True)
        checked += len(partners)
    assert checked > 20
