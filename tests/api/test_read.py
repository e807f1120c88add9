"""Reading the registry through /api/v1: the same pilots as /search, JSON objects with
money in pence and pounds, drafts hidden, ETags and 304s, and problem+json errors."""

from __future__ import annotations

from datetime import date

from app.api.spec import committed_text
from tests.api.conftest import bearer
from tests.factories import (
    create_award,
    create_council,
    create_pilot,
    create_programme,
    create_registered_pilot,
)


def test_pilots_lists_what_search_finds_with_money_in_pence_and_pounds(api, whoosh):
    council = create_council(code="KEC", nice_name="Kestrel")
    create_pilot(council, title="Chatbot for missed bins", planned_cost_pence=1_250_050)
    create_pilot(council, title="Bins by text message", hypothesis="Texts remind people.")
    create_pilot(council, title="Draft chatbot", status="draft")
    response = api.get("/api/v1/pilots?q=chatbot")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert [p["title"] for p in body["pilots"]] == ["Chatbot for missed bins"]
    pilot = body["pilots"][0]
    assert pilot["planned_cost"] == {"pence": 1_250_050, "pounds": "12500.50"}
    assert pilot["lead_council"]["code"] == "KEC"
    assert pilot["url"].endswith(f"/pilots/{pilot['slug']}")
    assert pilot["start_date"] == "2026-01-01"
    assert pilot["updated_at"].endswith("Z")
    assert body["facets"] == []  # counted only when asked for
    faceted = api.get("/api/v1/pilots?q=chatbot&facets=1").get_json()
    assert {f["name"] for f in faceted["facets"]} >= {"pillar", "status"}
    assert "facets=1" in faceted["links"]["self"]
    html = api.get("/search?q=chatbot").get_data(as_text=True)
    assert "Chatbot for missed bins" in html and "Draft chatbot" not in html


def test_a_page_holds_at_most_100_pilots(api):
    council = create_council()
    for n in range(101):
        create_pilot(council, title=f"Pilot {n}")
    body = api.get("/api/v1/pilots?per_page=100").get_json()
    assert len(body["pilots"]) == 100 and body["total"] == 101
    assert body["links"]["next"] and "page=2" in body["links"]["next"]
    refused = api.get("/api/v1/pilots?per_page=101")
    assert refused.status_code == 400
    assert refused.mimetype == "application/problem+json"
    problem = refused.get_json()
    assert problem["type"].endswith("/bad-query")
    assert problem["errors"][0]["field"] == "per_page"


def test_an_unknown_filter_value_is_its_own_kind_of_problem(api):
    response = api.get("/api/v1/pilots?pillar=astrology")
    assert response.status_code == 400
    assert response.get_json()["type"].endswith("/unknown-filter-value")
    assert "astrology" in response.get_json()["detail"]


def test_one_pilot_has_its_measures_versions_events_and_awards(api):
    pilot = create_registered_pilot(create_council(code="KEC"))
    create_award(create_programme(), pilot, amount_awarded_pence=500_000)
    body = api.get(f"/api/v1/pilots/{pilot.slug}").get_json()["pilot"]
    assert body["measures"][0]["target"] == "80"
    assert [v["number"] for v in body["versions"]] == ["1.0"]
    assert "registered" in [e["kind"] for e in body["events"]]
    assert body["awards"][0]["amount_awarded"] == {"pence": 500_000, "pounds": "5000.00"}
    assert body["appraisal"] is None


def test_a_draft_is_not_found_except_by_its_own_councils_token(api, make_token):
    council = create_council()
    draft = create_pilot(council, status="draft")
    response = api.get(f"/api/v1/pilots/{draft.slug}")
    assert response.status_code == 404
    assert response.get_json()["type"].endswith("/not-found")
    assert api.get(f"/api/v1/pilots/{draft.slug}", headers=bearer(make_token())).status_code == 404
    own = api.get(f"/api/v1/pilots/{draft.slug}", headers=bearer(make_token(council)))
    assert own.status_code == 200


def test_every_get_has_an_etag_and_answers_304_when_unchanged(api):
    create_pilot()
    for path in ("/api/v1/pilots", "/api/v1/pillars", "/api/v1/councils", "/api/v1/events"):
        first = api.get(path)
        assert first.headers["ETag"]
        again = api.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""


def test_councils_carry_their_reporting_record(api):
    council = create_council(code="KEC")
    create_pilot(council, planned_end_date=date(2020, 1, 1), start_date=date(2019, 1, 1))
    body = api.get("/api/v1/councils/kec").get_json()["council"]
    assert body["org_id"].startswith("GB-")
    assert body["reporting_record"]["due"] == 1 and body["reporting_record"]["reported"] == 0
    overdue = api.get("/api/v1/overdue").get_json()["overdue"]
    assert overdue[0]["pilot"]["lead_council"]["code"] == "KEC"


def test_the_change_feed_pages_by_cursor(api):
    for _ in range(3):
        create_registered_pilot()
    first = api.get("/api/v1/events?limit=2").get_json()
    assert len(first["events"]) == 2 and first["has_more"]
    rest = api.get(f"/api/v1/events?cursor={first['next_cursor']}").get_json()
    assert len(rest["events"]) >= 1
    assert rest["events"][0]["id"] > first["events"][-1]["id"]


def test_errors_under_api_are_problem_json_and_pages_stay_html(api):
    missing = api.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert missing.get_json()["type"].endswith("/not-found")
    assert api.get("/nothing-here").mimetype == "text/html"


def test_a_token_in_the_address_is_refused(api, make_token):
    secret = make_token()
    response = api.get(f"/api/v1/pilots?access_token={secret}")
    assert response.status_code == 401
    assert api.get(f"/api/v1/pilots?q={secret}").status_code == 401


def test_the_served_openapi_document_is_the_committed_one(api):
    from openapi_spec_validator import validate

    served = api.get("/api/v1/openapi.json")
    assert served.get_data(as_text=True) == committed_text(), "run make openapi and commit"
    document = served.get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)
