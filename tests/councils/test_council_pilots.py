"""A council's page lists the public pilots it leads or partners in, the latest changed first:
the same pages, and the same count, as filtering every pilot for the council would give."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.councils.models import Council
from app.extensions import db
from app.pilots.models import PUBLIC_STATUSES, Pilot, pilot_partners
from app.pilots.service import PER_PAGE, pilots_for_council
from bench.registry import generate
from tests.conftest import FIXTURES
from tests.factories import create_pilot


def _filtered(council: Council) -> list[str]:
    partnered = select(pilot_partners.c.pilot_id).where(pilot_partners.c.council_id == council.id)
    query = (
        select(Pilot.slug)
        .where(Pilot.status.in_(PUBLIC_STATUSES))
        .where(or_(Pilot.lead_council_id == council.id, Pilot.id.in_(partnered)))
        .order_by(Pilot.updated_at.desc(), Pilot.id.desc())
    )
    return list(db.session.scalars(query))


def test_a_councils_pilots_page_by_page(app_ctx) -> None:
    registry = generate(400, FIXTURES / "councils.csv")
    busiest = db.session.scalar(select(Council).where(Council.code == registry.council_code))
    create_pilot(busiest, partners=[busiest], status="running")  # its own partner: listed once
    councils = [busiest, *db.session.scalars(select(Council).order_by(Council.id).limit(15))]
    for council in councils:
        expected = _filtered(council)
        pages = (len(expected) + PER_PAGE - 1) // PER_PAGE
        listed = []
        for number in range(1, pages + 2):
            page = pilots_for_council(council, number)
            assert page.total == len(expected), council.code
            listed += [p.slug for p in page.items]
        assert listed == expected, council.code
    assert len(_filtered(busiest)) > 2 * PER_PAGE
