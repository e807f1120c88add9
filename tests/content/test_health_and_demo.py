from __future__ import annotations

from sqlalchemy import func, select

from app.content.demo import load_demo
from app.councils.models import Council
from app.extensions import db
from app.pillars.service import PILLAR_SLUGS
from app.pilots.models import Pilot, PilotPillar
from app.search import indexing
from tests.factories import create_pilot


def test_healthz_reports_database_and_index(client, whoosh):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["search"]["backend"] == "whoosh" and body["search"]["ok"] is True


def test_healthz_says_degraded_but_serving_without_a_search_index(client):
    """Searches answer from the database meanwhile: still serving, so still 200."""
    indexing.wait_for_rebuild()
    client.application.config["SEARCH_INDEX_DIR"] += "-never-built"
    try:
        response = client.get("/healthz")
    finally:
        client.application.config["SEARCH_INDEX_DIR"] = client.application.config[
            "SEARCH_INDEX_DIR"
        ].removesuffix("-never-built")
    assert response.status_code == 200
    assert response.get_json()["status"] == "degraded"


def test_demo_load_is_complete_and_idempotent(app_ctx):
    load_demo()
    pilots = db.session.scalar(select(func.count()).select_from(Pilot))
    councils = db.session.scalar(select(func.count()).select_from(Council))
    assert pilots >= 30 and councils >= 10
    statuses = set(db.session.scalars(select(Pilot.status).distinct()))
    assert statuses == {"draft", "registered", "running", "concluded", "stopped", "withdrawn"}
    assert set(db.session.scalars(select(PilotPillar.pillar_slug).distinct())) == set(PILLAR_SLUGS)
    assert {"KEC", "HRT", "WBK"} <= set(db.session.scalars(select(Council.code)))
    stamps = dict(db.session.execute(select(Pilot.slug, Pilot.updated_at)).all())
    second = load_demo()
    assert second.pilots.created == second.pilots.updated == 0
    assert second.users_created == 0
    assert dict(db.session.execute(select(Pilot.slug, Pilot.updated_at)).all()) == stamps


def test_every_demo_page_is_well_formed(client):
    load_demo()
    slugs = list(db.session.scalars(select(Pilot.slug).where(Pilot.status != "draft")))
    for slug in slugs:
        assert client.get(f"/pilots/{slug}").status_code == 200
    for code in db.session.scalars(select(Council.code)):
        assert client.get(f"/councils/{code.lower()}").status_code == 200
    for slug in PILLAR_SLUGS:
        assert client.get(f"/pillars/{slug}").status_code == 200


def test_healthz_says_degraded_but_serving_while_the_search_index_is_damaged(
    client, whoosh, monkeypatch
):
    create_pilot(title="Gritting routes")
    indexing.reindex()
    indexing.close_searchers()
    ids = next((whoosh / "current").resolve().glob("*.content.ids"))
    ids.write_bytes(bytes(b ^ 0xFF for b in ids.read_bytes()))  # every byte flipped
    monkeypatch.setattr(indexing, "rebuild_in_background", lambda: True)
    assert client.get("/search", query_string={"q": "gritting"}).status_code == 200
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded" and body["database"]["ok"] is True
    assert body["search"]["ok"] is False and ids.name in body["search"]["error"]
