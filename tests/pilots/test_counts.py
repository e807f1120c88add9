"""The kept counts of public pilots (counts.py) stay what counting the pilots one by one gives,
after every kind of write that can change them: a pilot created, registered, started, stopped,
concluded with a verdict, moved to another lead council, refiled under other pillars, deleted;
and after a bulk load and the migration that fills them."""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from app.extensions import db
from app.pilots.counts import refresh_all_counts
from app.pilots.lifecycle import change_status
from app.pilots.models import PUBLIC_STATUSES, Pilot, PilotCount, PilotPillar
from bench.registry import generate
from tests.conftest import FIXTURES
from tests.factories import create_council, create_outcome, create_pilot, create_registered_pilot

BEFORE = "search_0003"


def _one_by_one() -> Counter[tuple[str, str]]:
    db.session.expire_all()
    counts: Counter[tuple[str, str]] = Counter()
    for pilot in db.session.scalars(select(Pilot)):
        if pilot.status not in PUBLIC_STATUSES:
            continue
        counts["status", pilot.status] += 1
        counts["lead", str(pilot.lead_council_id)] += 1
        if pilot.status == "concluded" and pilot.verdict:
            counts["verdict", pilot.verdict] += 1
        for slug in pilot.pillars:
            counts["pillar", slug] += 1
        verdict = pilot.verdict if pilot.status == "concluded" else None
        if verdict:
            counts["led-v", f"{pilot.lead_council_id}:{verdict}"] += 1
        for partner in pilot.partners:
            counts["partner", str(partner.id)] += 1
            if verdict:
                counts["partner-v", f"{partner.id}:{verdict}"] += 1
    return counts


def _kept() -> Counter[tuple[str, str]]:
    rows = db.session.execute(select(PilotCount.facet, PilotCount.value, PilotCount.pilots))
    return Counter({(facet, value): n for facet, value, n in rows if n})


def _agree() -> Counter[tuple[str, str]]:
    expected = _one_by_one()
    assert _kept() == expected
    return expected


def test_every_kind_of_write_keeps_the_counts(app_ctx) -> None:
    leeds, york = create_council(), create_council()
    draft = create_pilot(leeds, status="draft", pillars=["inclusion"])
    assert _agree() == Counter()  # a draft counts nowhere
    pilot = create_registered_pilot(leeds, pillars=["inclusion", "business-case"])
    assert _agree()["pillar", "inclusion"] == 1
    change_status(pilot, "start", None, date(2026, 1, 5))
    assert _agree()["status", "running"] == 1
    pilot.lead_council = york
    pilot.pillar_links = [PilotPillar(pillar_slug="understanding-needs")]
    db.session.commit()
    counts = _agree()
    assert counts["lead", str(york.id)] == 1 and counts["pillar", "inclusion"] == 0
    create_outcome(pilot, reported_on=date(2026, 9, 1), verdict="disproved")
    assert _agree()["verdict", "disproved"] == 1
    other = create_pilot(leeds, status="running", pillars=["inclusion"])
    change_status(other, "stop", None, date(2026, 6, 1), reason="No money left")
    draft.status = "registered"
    db.session.commit()
    assert _agree()["pillar", "inclusion"] == 2
    db.session.delete(pilot)
    db.session.commit()
    assert _agree()["status", "concluded"] == 0


def test_the_maps_partner_counts_follow_every_change_of_partners(app_ctx) -> None:
    leeds, york, hull = create_council(), create_council(), create_council()
    pilot = create_registered_pilot(leeds, partners=[york])
    assert _agree()["partner", str(york.id)] == 1
    pilot.partners.append(hull)
    db.session.commit()
    assert _agree()["partner", str(hull.id)] == 1
    create_outcome(pilot, reported_on=date(2026, 9, 1), verdict="proved")
    counts = _agree()
    assert counts["partner-v", f"{hull.id}:proved"] == counts["led-v", f"{leeds.id}:proved"] == 1
    db.session.expire_all()  # partners not loaded: the verdict changes all the same
    db.session.get(Pilot, pilot.id).verdict = "disproved"
    db.session.commit()
    assert _agree()["partner-v", f"{york.id}:disproved"] == 1
    pilot.partners.remove(york)
    pilot.lead_council = hull  # a lead listed among its own partners counts as both
    db.session.commit()
    assert _agree()["partner", str(york.id)] == 0
    other = create_pilot(york, status="draft", partners=[leeds, hull])
    assert _agree()["partner", str(leeds.id)] == 0
    db.session.expire_all()
    db.session.get(Pilot, other.id).status = "registered"
    db.session.commit()
    assert _agree()["partner", str(leeds.id)] == 1
    db.session.expire_all()
    db.session.delete(db.session.get(Pilot, pilot.id))
    db.session.commit()
    assert _agree()["partner", str(hull.id)] == 1


def test_a_bulk_load_and_the_migration_count_as_the_writes_would(app_ctx) -> None:
    generate(300, FIXTURES / "councils.csv")
    expected = _agree()
    assert len(expected) > 15
    db.session.execute(PilotCount.__table__.delete())
    refresh_all_counts()
    db.session.commit()
    assert _agree() == expected
    db.session.remove()
    downgrade(revision=BEFORE)
    upgrade()
    assert _agree() == expected
