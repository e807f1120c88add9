"""A council's token lists its own council's drafts in /api/v1/pilots (`status=draft`), never
another council's; nobody else lists drafts at all."""

from __future__ import annotations

from tests.api.conftest import bearer
from tests.factories import create_council, create_pilot


def test_a_token_lists_its_own_councils_drafts_and_no_one_elses(api, make_token, whoosh):
    ours, theirs = create_council(code="OUR"), create_council(code="THR")
    mine = [create_pilot(ours, status="draft", title=f"Our draft {n}") for n in range(3)]
    create_pilot(theirs, status="draft", title="Their draft")
    create_pilot(ours, title="Our public pilot")
    answer = api.get("/api/v1/pilots?status=draft&per_page=2", headers=bearer(make_token(ours)))
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["total"] == 3 and body["pages"] == 2
    listed = (
        body["pilots"]
        + api.get(body["links"]["next"], headers=bearer(make_token(ours))).get_json()["pilots"]
    )
    assert sorted(p["slug"] for p in listed) == sorted(p.slug for p in mine)
    assert {p["status"] for p in listed} == {"draft"}
    assert "Vary" in answer.headers and "Authorization" in answer.headers["Vary"]


def test_drafts_are_never_listed_without_a_token_nor_in_the_public_list(api, make_token, whoosh):
    council = create_council(code="OUR")
    create_pilot(council, status="draft", title="Secret draft")
    anonymous = api.get("/api/v1/pilots?status=draft")
    assert anonymous.status_code == 401
    assert anonymous.mimetype == "application/problem+json"
    public = api.get("/api/v1/pilots?per_page=100", headers=bearer(make_token(council)))
    assert "Secret draft" not in public.get_data(as_text=True)


def test_drafts_take_no_search_filter(api, make_token):
    council = create_council(code="OUR")
    answer = api.get("/api/v1/pilots?status=draft&q=bins", headers=bearer(make_token(council)))
    assert answer.status_code == 400
    assert answer.get_json()["type"].endswith("/bad-query")
