"""Who may do what: every POST route declares a permission, and the role × route × owner matrix."""

from __future__ import annotations

from dataclasses import dataclass

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
    undeclared = [
        f"{rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ())
        and not getattr(app.view_functions[rule.endpoint], "permission", None)
    ]
    assert undeclared == []


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


# --- The matrix: one line per route. `needs` is what the user must be able to do to the pilot.
@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str  # {slug} is the pilot's
    status: str  # the pilot's status when the route is tried
    needs: str  # "view" or "edit"
    data: dict | None = None


ROUTES = [
    Route("view draft", "GET", "/pilots/{slug}", "draft", "view"),
    Route("edit form (draft)", "GET", "/pilots/{slug}/edit", "draft", "edit"),
    Route("edit form (registered)", "GET", "/pilots/{slug}/edit", "registered", "edit"),
    Route("save edit (draft)", "POST", "/pilots/{slug}/edit", "draft", "edit", VALID),
    Route("save edit (registered)", "POST", "/pilots/{slug}/edit", "registered", "edit", VALID),
    Route("register", "POST", "/pilots/{slug}/register", "draft", "edit"),
    Route("start", "POST", "/pilots/{slug}/start", "registered", "edit"),
    Route("stop form", "GET", "/pilots/{slug}/stop", "running", "edit"),
    Route("stop", "POST", "/pilots/{slug}/stop", "running", "edit", {"reason": "No money"}),
    Route("withdraw", "POST", "/pilots/{slug}/withdraw", "registered", "edit", {"reason": "x"}),
    Route("amend form", "GET", "/pilots/{slug}/amend", "registered", "edit"),
    Route("amend", "POST", "/pilots/{slug}/amend", "registered", "edit", {"reason": "Typo"}),
    Route("report results", "POST", "/pilots/{slug}/results", "running", "edit", {"x": "1"}),
    Route("new measure form", "GET", "/pilots/{slug}/measures/new", "draft", "edit"),
    Route("new measure", "POST", "/pilots/{slug}/measures/new", "draft", "edit", {"name": "n"}),
]

# role → (may view the lead council's drafts, may edit its pilots); "own" = of the lead council.
ROLES = {
    "anonymous": None,
    "editor of another council": (False, False),
    "editor of a partner council": (False, False),
    "council-admin of another council": (False, False),
    "funder": (False, False),
    "council-admin of the lead council": (True, False),
    "editor of the lead council": (True, True),
    "admin": (True, True),
}


def _make_user(role: str, lead, partner, other):
    if role == "anonymous":
        return None
    if role == "funder" or role == "admin":
        return create_user(role)
    council = lead if "lead council" in role else partner if "partner" in role else other
    return create_user(role.split(" of ")[0], council)


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
@pytest.mark.parametrize("role", ROLES, ids=list(ROLES))
def test_permission_matrix(client, sign_in, role, route):
    lead = create_council(code="AAA", nice_name="Alphaton")
    other = create_council(code="BBB", nice_name="Betaford")
    partner = create_council(code="CCC", nice_name="Cefnfield")
    pilot = create_pilot(lead, status=route.status, title="Original title", partners=[partner])
    user = _make_user(role, lead, partner, other)
    if user is not None:
        sign_in(user)
    before = (pilot.title, pilot.status)
    response = client.open(
        route.path.format(slug=pilot.slug), method=route.method, data=route.data or {}
    )
    db.session.expire_all()
    changed = (pilot.title, pilot.status) != before

    if ROLES[role] is None:
        if route.method == "GET" and route.needs == "view":
            assert response.status_code == 404  # a draft is invisible to the public
        else:
            assert response.status_code == 302
            assert "/auth/sign-in" in response.headers["Location"]
        assert not changed
        return
    may_view, may_edit = ROLES[role]
    allowed = may_edit if route.needs == "edit" else may_view
    if allowed:
        # allowed: the action runs, or its own validation answers (never a refusal)
        assert response.status_code in (200, 302, 400), response.get_data(as_text=True)[:500]
        assert "/auth/sign-in" not in response.headers.get("Location", "")
    else:
        hidden = route.status == "draft" and not may_view
        assert response.status_code == (404 if hidden else 403)
        assert not changed


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
