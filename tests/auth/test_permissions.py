"""Who may do what: every POST route declares a permission that checks what it names, and crafted
forms set nothing the user may not. The role × route × object matrix is in
test_permission_matrix.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.pilots.models import Pilot
from tests.factories import create_council, create_pilot, create_user

VALID = {
    "title": "Chatbot for missed bins",
    "summary": "A chatbot answers missed-bin reports.",
    "lead_council": "AAA",
    "hypothesis": "We believe a chatbot will mean fewer calls. We will see 20% fewer.",
    "pillars": ["developing-solutions"],
    "start_date": ["1", "4", "2026"],
    "planned_end_date": ["30", "9", "2026"],
}


def test_every_route_that_accepts_post_declares_its_permission(app):
    """The route walk: every route that changes something declares who may (the matrix in
    test_permission_matrix.py then tries each on every role), and the open-data downloads and
    feeds change nothing."""
    undeclared = [
        f"{rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ())
        and not getattr(app.view_functions[rule.endpoint], "permission", None)
    ]
    assert undeclared == []
    read_only = [
        r for r in app.url_map.iter_rules() if r.endpoint.startswith(("exports.", "feeds."))
    ]
    assert read_only
    assert all(rule.methods == {"GET", "HEAD", "OPTIONS"} for rule in read_only)


def test_the_route_walk_would_catch_an_undeclared_post_route(database_url, tmp_path):
    from tests.conftest import app_overrides

    application = create_app(app_overrides(database_url, tmp_path))
    application.add_url_rule("/sneaky", "sneaky", lambda: "", methods=["POST"])
    with pytest.raises(AssertionError):
        test_every_route_that_accepts_post_declares_its_permission(application)


@pytest.mark.parametrize("env", ["test", "production"])
def test_the_development_sign_in_does_not_exist_outside_development(env, client, monkeypatch):
    monkeypatch.setitem(client.application.config, "APP_ENV", env)
    create_user(issuer="urn:proving-ground:development")
    assert client.get("/auth/dev").status_code == 404
    assert client.post("/auth/dev", data={"user_id": "1"}).status_code == 404
    assert "Development sign-in" not in client.get("/auth/sign-in").get_data(as_text=True)


# --- Crafted forms: fields the user may not set are not taken from the request.
@pytest.fixture
def editor(app_ctx, sign_in):
    lead = create_council(code="AAA", nice_name="Alphaton")
    create_council(code="BBB", nice_name="Betaford")
    user = create_user("editor", lead)
    sign_in(user)
    return user


def pilots() -> int:
    return db.session.scalar(select(func.count()).select_from(Pilot)) or 0


def test_a_new_pilot_cannot_be_led_by_another_council(client, editor):
    response = client.post("/pilots/new", data={**VALID, "lead_council": "BBB"})
    assert response.status_code == 400
    assert pilots() == 0


def test_status_and_author_cannot_be_set_by_adding_them_to_the_form(client, editor):
    somebody = create_user("admin")
    crafted = {
        **VALID,
        "status": "concluded",
        "verdict": "proved",
        "created_by_id": str(somebody.id),
        "created_by": str(somebody.id),
        "lead_council_id": "2",
        "slug": "chosen-slug",
    }
    assert client.post("/pilots/new", data=crafted).status_code == 302
    pilot = db.session.scalar(select(Pilot))
    assert pilot.status == "draft"
    assert pilot.verdict is None
    assert pilot.created_by_id == editor.id
    assert pilot.lead_council.code == "AAA"
    assert pilot.slug != "chosen-slug"


def test_an_edit_cannot_move_a_pilot_to_another_council_or_change_its_status(client, editor):
    pilot = create_pilot(editor.memberships[0].council, status="registered")
    response = client.post(
        f"/pilots/{pilot.slug}/edit", data={**VALID, "lead_council": "BBB", "status": "draft"}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert pilot.lead_council.code == "AAA"
    assert pilot.status == "registered"


def test_a_permission_nobody_defined_is_refused_when_the_route_is_declared():
    from app.auth.permissions import requires

    with pytest.raises(ValueError, match="unknown permission 'manage-evrything'"):
        requires("manage-evrything")
