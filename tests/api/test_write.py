"""Publishing with a council's token: through the same services and rules as the web forms,
only for the token's own council, within its scopes, once per Idempotency-Key, and never over a
change made since the caller read the pilot."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.api.tokens import revoke_token, token_for_secret
from app.auth.models import AuditEvent
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots.service import pilot_by_slug
from tests.api.conftest import bearer
from tests.factories import (
    create_award,
    create_council,
    create_programme,
    create_registered_pilot,
)

# Dates around today: starting the pilot is dated today, which must fall before its planned end.
TODAY = utcnow().date()
DRAFT = {
    "title": "Chatbot for missed bins",
    "lead_council": "KEC",
    "hypothesis": "We believe a chatbot will mean fewer calls. We will see 20% fewer.",
    "pillars": ["developing-solutions"],
    "evaluation_design": 2,
    "start_date": TODAY.isoformat(),
    "planned_end_date": (TODAY + timedelta(days=56)).isoformat(),
    "planned_cost_pence": 1_250_000,
}
MEASURE = {
    "name": "Calls about missed bins",
    "unit": "calls a month",
    "direction": "lower",
    "baseline": "1200",
    "target": "960",
    "disproved_if": "1150",
}


def test_a_council_publishes_a_pilot_end_to_end_and_it_is_found_everywhere(api, make_token, whoosh):
    council = create_council(code="KEC", nice_name="Kestrel")
    auth = bearer(make_token(council))
    created = api.post("/api/v1/pilots", json=DRAFT, headers=auth)
    assert created.status_code == 201, created.get_json()
    slug = created.get_json()["pilot"]["slug"]
    assert created.headers["Location"].endswith(f"/api/v1/pilots/{slug}")
    assert api.get(f"/api/v1/pilots/{slug}").status_code == 404  # a draft, to anyone else
    steps = [
        ("measures", MEASURE),
        ("transitions", {"action": "register"}),
        ("transitions", {"action": "start"}),
        ("updates", {"text": "Live on the website; 300 conversations in the first week."}),
    ]
    for path, body in steps:
        answer = api.post(f"/api/v1/pilots/{slug}/{path}", json=body, headers=auth)
        assert answer.status_code == 201, (path, answer.get_json())
    measure_id = answer.get_json()["pilot"]["measures"][0]["id"]
    outcome = {
        "narrative": "Calls fell by a quarter.",
        "verdict": "proved",
        "actual_end_date": TODAY.isoformat(),
        "results": [{"measure_id": measure_id, "value": "900"}],
    }
    done = api.post(f"/api/v1/pilots/{slug}/outcome", json=outcome, headers=auth)
    assert done.status_code == 201, done.get_json()
    pilot = api.get(f"/api/v1/pilots/{slug}").get_json()["pilot"]
    assert pilot["status"] == "concluded" and pilot["verdict"] == "proved"
    assert pilot["updates"][0]["council"] == "KEC"
    assert "Chatbot for missed bins" in api.get("/search?q=chatbot").get_data(as_text=True)
    assert slug in api.get("/feeds/pilots.atom").get_data(as_text=True)
    assert slug in api.get("/feeds/events.atom").get_data(as_text=True)
    assert "Chatbot for missed bins" in api.get("/export/pilots.csv").get_data(as_text=True)
    create_award(create_programme(), pilot_by_slug(slug))  # a funder's award, on the web
    assert "Chatbot for missed bins" in api.get("/export/360giving.json").get_data(as_text=True)
    actors = db.session.scalars(select(AuditEvent.actor_name)).all()
    assert any("API token 'Case system' (KEC)" in name for name in actors)


def test_a_token_cannot_write_another_councils_pilot(api, make_token):
    create_council(code="KEC")
    theirs = create_registered_pilot(create_council(code="OTH"))
    auth = bearer(make_token(create_council(code="MIN")))
    answer = api.post(f"/api/v1/pilots/{theirs.slug}/updates", json={"text": "x"}, headers=auth)
    assert answer.status_code == 403
    assert answer.get_json()["type"].endswith("/forbidden")
    assert api.post("/api/v1/pilots", json=DRAFT, headers=auth).status_code == 403


def test_a_revoked_or_expired_token_is_unauthorised(api, make_token):
    council = create_council(code="KEC")
    revoked, expired = make_token(council), make_token(council)
    revoke_token(token_for_secret(revoked), None)
    token_for_secret(expired).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    for secret in (revoked, expired, "pg_not-a-token"):
        answer = api.post("/api/v1/pilots", json=DRAFT, headers=bearer(secret))
        assert answer.status_code == 401
        assert answer.get_json()["type"].endswith("/unauthorised")
        assert "Bearer" in answer.headers["WWW-Authenticate"]


def test_a_token_without_the_scope_is_forbidden(api, make_token):
    auth = bearer(make_token(create_council(code="KEC"), scopes=["updates:write"]))
    answer = api.post("/api/v1/pilots", json=DRAFT, headers=auth)
    assert answer.status_code == 403 and "pilots:write" in answer.get_json()["detail"]


def test_no_token_no_write_and_no_cookie_counts(api):
    answer = api.post("/api/v1/pilots", json=DRAFT)
    assert answer.status_code == 401


def test_a_body_over_the_limit_is_refused(api, make_token):
    auth = bearer(make_token(create_council(code="KEC")))
    big = {**DRAFT, "problem": "x" * 300_000}
    answer = api.post("/api/v1/pilots", json=big, headers=auth)
    assert answer.status_code == 413
    assert answer.get_json()["type"].endswith("/too-large")


def test_every_field_error_is_listed(api, make_token):
    auth = bearer(make_token(create_council(code="KEC")))
    answer = api.post("/api/v1/pilots", json={"title": "", "pillars": []}, headers=auth)
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.get_json()["errors"]}
    assert {"title", "pillars", "hypothesis", "lead_council"} <= fields


def test_sql_like_and_control_text_is_kept_as_text_or_refused(api, make_token):
    auth = bearer(make_token(create_council(code="KEC")))
    sql = {**DRAFT, "title": "x'); DROP TABLE pilots; --"}
    answer = api.post("/api/v1/pilots", json=sql, headers=auth)
    assert answer.status_code == 201
    assert answer.get_json()["pilot"]["title"] == sql["title"]
    control = api.post("/api/v1/pilots", json={**DRAFT, "title": "bell\u0007"}, headers=auth)
    assert control.status_code in (400, 422)
    assert control.mimetype == "application/problem+json"
    query = api.get("/api/v1/pilots?q=%27%20OR%201%3D1%20--")
    assert query.status_code == 200 and query.get_json()["total"] == 0


def test_a_retried_post_with_the_same_key_creates_one_draft(api, make_token):
    auth = {**bearer(make_token(create_council(code="KEC"))), "Idempotency-Key": "crm-4711"}
    first = api.post("/api/v1/pilots", json=DRAFT, headers=auth)
    again = api.post("/api/v1/pilots", json=DRAFT, headers=auth)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["pilot"]["slug"] == again.get_json()["pilot"]["slug"]
    reused = api.post("/api/v1/pilots", json={**DRAFT, "title": "Other"}, headers=auth)
    assert reused.status_code == 409


def test_an_edit_with_a_stale_etag_is_refused_and_nothing_is_lost(api, make_token):
    auth = bearer(make_token(create_council(code="KEC")))
    slug = api.post("/api/v1/pilots", json=DRAFT, headers=auth).get_json()["pilot"]["slug"]
    etag = api.get(f"/api/v1/pilots/{slug}", headers=auth).headers["ETag"]
    first = api.put(
        f"/api/v1/pilots/{slug}", json={**DRAFT, "summary": "One"},
        headers={**auth, "If-Match": etag},
    )  # fmt: skip
    assert first.status_code == 200
    stale = api.put(
        f"/api/v1/pilots/{slug}", json={**DRAFT, "summary": "Two"},
        headers={**auth, "If-Match": etag},
    )  # fmt: skip
    assert stale.status_code == 412
    assert api.get(f"/api/v1/pilots/{slug}", headers=auth).get_json()["pilot"]["summary"] == "One"


def test_a_registered_pilots_frozen_fields_keep_their_values_on_an_edit(api, make_token):
    council = create_council(code="KEC")
    pilot = create_registered_pilot(council)
    auth = bearer(make_token(council))
    body = {**DRAFT, "title": pilot.title, "hypothesis": "A different hypothesis."}
    body["start_date"] = pilot.start_date.isoformat()  # not past its frozen planned end
    answer = api.put(f"/api/v1/pilots/{pilot.slug}", json=body, headers=auth)
    assert answer.status_code == 200
    assert answer.get_json()["pilot"]["hypothesis"] == pilot.hypothesis


def test_frozen_fields_change_by_amendment_with_a_reason(api, make_token):
    council = create_council(code="KEC")
    pilot = create_registered_pilot(council)
    auth = bearer(make_token(council))
    path = f"/api/v1/pilots/{pilot.slug}/amendments"
    unexplained = api.post(path, json={"reason": " ", "hypothesis": "New."}, headers=auth)
    assert unexplained.status_code == 409
    answer = api.post(
        path, json={"reason": "The council changed the target group.", "hypothesis": "New."},
        headers=auth,
    )  # fmt: skip
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()["pilot"]
    assert body["hypothesis"] == "New."
    assert [v["number"] for v in body["versions"]][-1] != "1.0"
    assert body["versions"][-1]["reason"] == "The council changed the target group."
