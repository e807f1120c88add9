"""The permission matrix: one row per (route, object), the expected answer for each role.

A row names the object its path is tried on (a draft, registered or running pilot of the lead
council, the lead council, a programme, an award, a waiting membership request, a waiting
council domain) and what each role gets. To cover a new route, add a row; to cover a new kind
of object, add it to `objects`.

Answers: `ok` the action runs or its own validation answers (200, 302 or 400, never a refusal);
`in` a signed-out person is sent to sign in; `403` refused; `404` not there for this person
(a draft outside its council). Whatever is refused changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.api.models import ApiToken
from app.api.tokens import create_token
from app.auth.models import CouncilDomain, Membership
from app.choosing.models import Idea, Round
from app.choosing.models.consultations import Consultation, ConsultationAnswer
from app.extensions import db
from app.pilots.models import Pilot
from tests.appraisal.factories import create_concluded_pilot
from tests.auth.test_permissions import VALID as VALID_PILOT
from tests.checked_client import CheckedClient
from tests.conftest import reset_database
from tests.factories import (
    create_award,
    create_consultation,
    create_council,
    create_idea,
    create_measure,
    create_pilot,
    create_programme,
    create_round,
    create_user,
)

# The columns of every row, in order.
ROLES = (
    "anonymous",
    "signed in, no role",
    "editor of another council",
    "editor of a partner council",
    "council-admin of another council",
    "council-admin of the lead council",
    "editor of the lead council",
    "funder",
    "admin",
)

ROUND_STATES = ("draft", "open", "scoring", "closed")

# Answers shared by many rows (the columns of ROLES).
DRAFT_VIEW = "404 404 404 404 404 ok ok 404 ok"
DRAFT_EDIT = "in 403 404 404 403 403 ok 403 ok"
LEAD_EDITORS = "in 403 403 403 403 403 ok 403 ok"
LEAD_AND_PARTNER_EDITORS = "in 403 403 ok 403 403 ok 403 ok"
ANY_EDITOR = "in 403 ok ok 403 403 ok 403 ok"
LEAD_ADMINS = "in 403 403 403 403 ok 403 403 ok"
FUNDERS = "in 403 403 403 403 403 403 ok ok"
ADMINS = "in 403 403 403 403 403 403 403 ok"
SIGNED_IN = "in ok ok ok ok ok ok ok ok"
LEAD_STAFF = "in 403 403 403 403 ok ok 403 ok"
ANY_COUNCIL_ADMIN = "in 403 403 403 ok ok 403 403 ok"
DRAFT_ROUND_ADMINS = "in 403 403 403 404 ok 403 403 ok"
# Only the people the round's panel names (none of these roles: see tests/choosing).
PANEL_ONLY = "in 403 403 403 403 403 403 403 403"
# Public, and what it changes is named by a signed link (app/alerts/links.py), never by who asks:
# a link that is not one is refused (400) for everyone alike, and changes nothing.
SIGNED_LINK = "ok ok ok ok ok ok ok ok ok"
# The write API takes a council's token in the Authorization header, never a session cookie:
# whoever is signed in, without a token it is 401 (tests/api/test_write.py tries the tokens).
TOKEN_ONLY = "401 401 401 401 401 401 401 401 401"


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: str  # {draft}, {registered}, {running}: pilots' slugs; {measure}, {programme}, ...
    answers: str
    data: dict[str, Any] | None = None


ROWS = [
    # Pilots
    Row("view a draft", "GET", "/pilots/{draft}", DRAFT_VIEW),
    Row("new pilot form", "GET", "/pilots/new", ANY_EDITOR),
    Row("edit form (draft)", "GET", "/pilots/{draft}/edit", DRAFT_EDIT),
    Row("edit form (registered)", "GET", "/pilots/{registered}/edit", LEAD_EDITORS),
    Row("save edit (draft)", "POST", "/pilots/{draft}/edit", DRAFT_EDIT, VALID_PILOT),
    Row("save edit (registered)", "POST", "/pilots/{registered}/edit", LEAD_EDITORS, VALID_PILOT),
    Row("check before registering", "GET", "/pilots/{draft}/register", DRAFT_EDIT),
    Row("register", "POST", "/pilots/{draft}/register", DRAFT_EDIT),
    Row("start form", "GET", "/pilots/{registered}/start", LEAD_EDITORS),
    Row("start", "POST", "/pilots/{registered}/start", LEAD_EDITORS),
    Row("stop form", "GET", "/pilots/{running}/stop", LEAD_EDITORS),
    Row("stop", "POST", "/pilots/{running}/stop", LEAD_EDITORS, {"reason": "No money"}),
    Row("withdraw", "POST", "/pilots/{registered}/withdraw", LEAD_EDITORS, {"reason": "x"}),
    Row("amend form", "GET", "/pilots/{registered}/amend", LEAD_EDITORS),
    Row("amend", "POST", "/pilots/{registered}/amend", LEAD_EDITORS, {"reason": "Typo"}),
    Row("report results", "POST", "/pilots/{running}/results", LEAD_EDITORS, {"x": "1"}),
    Row("new measure form", "GET", "/pilots/{draft}/measures/new", DRAFT_EDIT),
    Row("new measure", "POST", "/pilots/{draft}/measures/new", DRAFT_EDIT, {"name": "n"}),
    Row("edit a measure", "POST", "/pilots/{draft}/measures/{measure}/edit", DRAFT_EDIT),
    Row("delete a measure", "POST", "/pilots/{draft}/measures/{measure}/delete", DRAFT_EDIT),
    Row("progress update form", "GET", "/pilots/{running}/updates/new", LEAD_AND_PARTNER_EDITORS),
    Row("post an update", "POST", "/pilots/{running}/updates/new", LEAD_AND_PARTNER_EDITORS),
    Row("extension form", "GET", "/pilots/{running}/extension", ADMINS),
    Row("grant an extension", "POST", "/pilots/{running}/extension", ADMINS, {"reason": "x"}),
    # Business cases
    Row("a draft's appraisal", "GET", "/pilots/{draft}/appraisal", DRAFT_VIEW),
    Row("appraisal form (draft)", "GET", "/pilots/{draft}/appraisal/edit", DRAFT_EDIT),
    Row("appraisal form", "GET", "/pilots/{registered}/appraisal/edit", LEAD_EDITORS),
    Row(
        "appraisal, add a row",
        "POST",
        "/pilots/{registered}/appraisal/edit",
        LEAD_EDITORS,
        {"action": "add:options"},
    ),
    Row(
        "save an appraisal",
        "POST",
        "/pilots/{draft}/appraisal/edit",
        DRAFT_EDIT,
        {"horizon_years": "3"},
    ),
    Row("appraisal import form", "GET", "/pilots/{registered}/appraisal/import", LEAD_EDITORS),
    Row("import appraisal lines", "POST", "/pilots/{registered}/appraisal/import", LEAD_EDITORS),
    Row("outturn form", "GET", "/pilots/{concluded}/appraisal/outturn", LEAD_EDITORS),
    Row("record outturn", "POST", "/pilots/{concluded}/appraisal/outturn", LEAD_EDITORS),
    # Councils' people, domains and audit
    Row("members", "GET", "/councils/aaa/members", LEAD_ADMINS),
    Row("decide a request", "POST", "/councils/aaa/members/{request}", LEAD_ADMINS, {"x": "1"}),
    Row("add a panel member", "POST", "/councils/aaa/panel-members", LEAD_ADMINS, {"x": "1"}),
    Row("domains form", "GET", "/councils/aaa/domains", LEAD_ADMINS),
    Row("save domains", "POST", "/councils/aaa/domains", LEAD_ADMINS, {"domains": "a.test"}),
    Row("council audit log", "GET", "/councils/aaa/audit", LEAD_ADMINS),
    Row("council audit log CSV", "GET", "/councils/aaa/audit.csv", LEAD_ADMINS),
    # A council admin is sent on to their council's log rather than refused.
    Row("registry audit log", "GET", "/audit", "in 403 403 403 ok ok 403 403 ok"),
    Row("registry audit log CSV", "GET", "/audit.csv", "in 403 403 403 ok ok 403 403 ok"),
    Row("domains to review", "GET", "/council-domains", ADMINS),
    Row("decide a domain", "POST", "/council-domains/{domain}", ADMINS, {"approve": "y"}),
    Row("change a member form", "GET", "/councils/aaa/members/{member}/change", LEAD_ADMINS),
    Row(
        "change a member",
        "POST",
        "/councils/aaa/members/{member}/change",
        LEAD_ADMINS,
        {"change": "council-admin"},
    ),
    Row("find people", "GET", "/people?q=a", ADMINS),
    Row("a person's roles", "GET", "/people/{person}", ADMINS),
    Row("give a role", "POST", "/people/{person}", ADMINS, {"role": "funder", "council": ""}),
    Row("take a role away", "POST", "/people/{person}/roles/{request}/revoke", ADMINS),
    Row("account", "GET", "/account", SIGNED_IN),
    Row("your council's pilots", "GET", "/your-pilots", SIGNED_IN),
    Row("ask to join", "POST", "/account/join", SIGNED_IN, {"council": "AAA"}),
    # Email alerts
    Row("alert sign-up", "POST", "/alerts/new?pilot={registered}", SIGNED_LINK, {"email": "x"}),
    Row("confirm alerts", "POST", "/alerts/confirm/not-a-link", SIGNED_LINK),
    Row("manage alerts", "POST", "/alerts/manage/not-a-link", SIGNED_LINK, {"action": "stop-all"}),
    Row("one-click unsubscribe", "POST", "/alerts/unsubscribe/not-a-link", SIGNED_LINK),
    Row("your email alerts", "GET", "/alerts/mine", SIGNED_IN),
    # Funding
    Row("new programme form", "GET", "/funding/programmes/new", FUNDERS),
    Row("new programme", "POST", "/funding/programmes/new", FUNDERS, {"name": ""}),
    Row("edit programme", "POST", "/funding/programmes/{programme}/edit", FUNDERS, {"x": "1"}),
    Row("new award", "POST", "/funding/programmes/{programme}/awards/new", FUNDERS, {"x": "1"}),
    Row("edit award", "POST", "/funding/programmes/{programme}/awards/{award}/edit", FUNDERS),
    Row("funder dashboard", "GET", "/funding/dashboard", FUNDERS),
    Row("dashboard CSV", "GET", "/funding/dashboard.csv?table=trials", FUNDERS),
    # Ideas and prioritisation rounds ({idea} is a private idea of the lead council)
    Row("new idea form", "GET", "/ideas/new", ANY_EDITOR),
    Row("new idea", "POST", "/ideas/new", ANY_EDITOR, {"council": "AAA", "title": "An idea"}),
    Row("edit idea form", "GET", "/ideas/{idea}/edit", DRAFT_EDIT),
    Row("edit idea", "POST", "/ideas/{idea}/edit", DRAFT_EDIT, {"title": "Changed"}),
    Row("publish idea", "POST", "/ideas/{idea}/publish", DRAFT_EDIT),
    Row("idea appraisal form", "GET", "/ideas/{idea}/appraisal", DRAFT_EDIT),
    Row("idea appraisal", "POST", "/ideas/{idea}/appraisal", DRAFT_EDIT, {"x": "1"}),
    Row("council's ideas", "GET", "/councils/aaa/ideas", LEAD_STAFF),
    Row("new round form", "GET", "/rounds/new", ANY_COUNCIL_ADMIN),
    Row("new round", "POST", "/rounds/new", ANY_COUNCIL_ADMIN, {"council": "AAA", "title": "R"}),
    Row("round set-up form", "GET", "/rounds/{draft_round}/setup", DRAFT_ROUND_ADMINS),
    Row("round set-up", "POST", "/rounds/{draft_round}/setup", DRAFT_ROUND_ADMINS, {"x": "1"}),
    Row("open a round", "POST", "/rounds/{draft_round}/status", DRAFT_ROUND_ADMINS, {"to": "open"}),
    Row("declarations form", "GET", "/rounds/{open_round}/declarations", PANEL_ONLY),
    Row("declare", "POST", "/rounds/{open_round}/declarations", PANEL_ONLY, {"text": "Ward"}),
    Row("scores form", "GET", "/rounds/{scoring_round}/scores", PANEL_ONLY),
    Row("score", "POST", "/rounds/{scoring_round}/scores", PANEL_ONLY, {"x": "1"}),
    Row("decision form", "GET", "/rounds/{closed_round}/decision", LEAD_ADMINS),
    Row("decide", "POST", "/rounds/{closed_round}/decision", LEAD_ADMINS, {"meeting": "m"}),
    # Residents' priorities: {consultation} is open, {draft_consultation} a draft
    Row("new consultation form", "GET", "/councils/aaa/consultations/new", LEAD_EDITORS),
    Row("new consultation", "POST", "/councils/aaa/consultations/new", LEAD_EDITORS, {"x": "1"}),
    Row("edit consultation form", "GET", "/consultations/{draft_consultation}/edit", DRAFT_EDIT),
    Row("edit consultation", "POST", "/consultations/{draft_consultation}/edit", DRAFT_EDIT),
    Row("open consultation", "POST", "/consultations/{draft_consultation}/open", DRAFT_EDIT),
    Row("close consultation", "POST", "/consultations/{consultation}/close", LEAD_EDITORS),
    Row("offline answer form", "GET", "/consultations/{consultation}/answers/new", LEAD_EDITORS),
    Row("offline answer", "POST", "/consultations/{consultation}/answers/new", LEAD_EDITORS),
    Row("comments", "GET", "/consultations/{consultation}/comments", LEAD_ADMINS),
    Row(
        "moderate a comment",
        "POST",
        "/consultations/{consultation}/comments/{comment}",
        LEAD_ADMINS,
        {"decision": "approve"},
    ),
    # The write API (pilots:write, lifecycle:write, updates:write, results:write)
    Row("API tokens page", "GET", "/councils/aaa/api-tokens", LEAD_ADMINS),
    Row("create an API token", "POST", "/councils/aaa/api-tokens", LEAD_ADMINS, {"name": ""}),
    Row("revoke an API token", "POST", "/councils/aaa/api-tokens/{token}/revoke", LEAD_ADMINS),
    Row("API: create a draft", "POST", "/api/v1/pilots", TOKEN_ONLY),
    Row("API: edit a pilot", "PUT", "/api/v1/pilots/{draft}", TOKEN_ONLY),
    Row("API: add a measure", "POST", "/api/v1/pilots/{draft}/measures", TOKEN_ONLY),
    Row("API: register", "POST", "/api/v1/pilots/{draft}/transitions", TOKEN_ONLY),
    Row("API: amend", "POST", "/api/v1/pilots/{registered}/amendments", TOKEN_ONLY),
    Row("API: post an update", "POST", "/api/v1/pilots/{running}/updates", TOKEN_ONLY),
    Row("API: file an outcome", "POST", "/api/v1/pilots/{running}/outcome", TOKEN_ONLY),
]


def objects() -> dict[str, Any]:
    """Every object a row can name, with the people who hold each role."""
    lead = create_council(code="AAA", nice_name="Alphaton")
    other = create_council(code="BBB", nice_name="Betaford")
    partner = create_council(code="CCC", nice_name="Cefnfield")
    draft = create_pilot(lead, status="draft", title="Draft title", partners=[partner])
    registered = create_pilot(lead, status="registered", title="Registered", partners=[partner])
    running = create_pilot(lead, status="running", title="Running title", partners=[partner])
    concluded = create_concluded_pilot(lead)
    measure = create_measure(draft)
    programme = create_programme()
    award = create_award(programme, registered)
    consultation = create_consultation(lead)
    draft_consultation = create_consultation(lead, status="draft")
    comment = ConsultationAnswer(
        consultation=consultation, channel="paper", comment="More buses", comment_status="waiting"
    )
    db.session.add(comment)
    asker = create_user()
    request = Membership(user=asker, role="editor", council=lead, status="pending")
    domain = CouncilDomain(council=lead, domain="alphaton.test", status="pending", added_by=asker)
    db.session.add_all([request, domain])
    db.session.commit()
    # The rounds share their ideas and panel: fewer rows to write for each of the many cases.
    shared = {"ideas": [create_idea(lead, published=True) for _ in range(2)],
              "panel": [create_user("panel-member", lead) for _ in range(2)]}  # fmt: skip
    people = {
        "anonymous": None,
        "signed in, no role": create_user(),
        "editor of another council": create_user("editor", other),
        "editor of a partner council": create_user("editor", partner),
        "council-admin of another council": create_user("council-admin", other),
        "council-admin of the lead council": create_user("council-admin", lead),
        "editor of the lead council": create_user("editor", lead),
        "funder": create_user("funder"),
        "admin": create_user("admin"),
    }
    return {
        "people": people,
        "draft": draft.slug,
        "registered": registered.slug,
        "running": running.slug,
        "concluded": concluded.slug,
        "programme": programme.slug,
        "award": award.id,
        "measure": measure.id,
        "request": request.id,
        "domain": domain.id,
        "idea": create_idea(lead).id,
        **{f"{status}_round": create_round(lead, status, **shared).id for status in ROUND_STATES},
        "consultation": consultation.id,
        "draft_consultation": draft_consultation.id,
        "comment": comment.id,
        "token": create_token(lead, "Matrix", ["pilots:write"], 30, None).token.id,
        "person": asker.id,
        "member": people["editor of the lead council"].memberships[0].id,
    }


def fingerprint() -> tuple[Any, ...]:
    """What a refused request must leave as it was: every table's rows, pilots' titles and
    states, memberships' and domains' states (sessions and the audit log excepted)."""
    counts = tuple(
        db.session.execute(  # every table's count in one statement: one round trip, not ~50
            select(
                *(
                    select(func.count()).select_from(table).scalar_subquery()
                    for table in db.metadata.sorted_tables
                    if table.name not in ("user_sessions", "audit_events", "content_generation")
                )
            )
        ).one()
    )
    pilots = tuple(db.session.execute(select(Pilot.title, Pilot.status).order_by(Pilot.id)))
    requests = tuple(db.session.scalars(select(Membership.status).order_by(Membership.id)))
    domains = tuple(db.session.scalars(select(CouncilDomain.status).order_by(CouncilDomain.id)))
    consultations = tuple(db.session.execute(select(Consultation.status, Consultation.question)))
    comments = tuple(db.session.scalars(select(ConsultationAnswer.comment_status)))
    rounds = tuple(db.session.execute(select(Round.title, Round.status).order_by(Round.id)))
    ideas = tuple(db.session.execute(select(Idea.title, Idea.published_at).order_by(Idea.id)))
    tokens = tuple(db.session.scalars(select(ApiToken.revoked_at).order_by(ApiToken.id)))
    return counts, pilots, requests, domains, rounds, ideas, consultations, comments, tokens


CASES = [
    (row, role, answer)
    for row in ROWS
    for role, answer in zip(ROLES, row.answers.split(), strict=True)
]


def test_every_row_names_an_answer_for_every_role() -> None:
    assert all(len(row.answers.split()) == len(ROLES) for row in ROWS)


class World:
    """objects(), made once and made again only after a case that may have changed them. A
    refused request must change nothing (each case checks it), so the next case finds the world
    as it was made; building it afresh for each of the ~940 cases was most of the module's time."""

    def __init__(self) -> None:
        self.things: dict[str, Any] = {}
        self.made_as: tuple[Any, ...] = ()  # its fingerprint when made
        self.intact = False

    def ready(self, app: Flask) -> dict[str, Any]:
        db.session.rollback()  # nothing the last case left half-done
        if not self.intact:
            reset_database(app)
            self.things, self.made_as = objects(), fingerprint()
        self.intact = False  # until this case shows it changed nothing
        return self.things


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[World]:
    with app.app_context():
        yield World()
        reset_database(app)


@pytest.fixture
def client(world: World, app: Flask) -> CheckedClient:
    """The module's own client: the world outlives each case, so no per-case `app_ctx`."""
    app.test_client_class = CheckedClient
    return app.test_client()  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("row", "role", "answer"), CASES, ids=[f"{r.name}-{role}" for r, role, _ in CASES]
)
def test_permission_matrix(
    world: World, app: Flask, client, sign_in, row: Row, role: str, answer: str
) -> None:
    things = world.ready(app)
    user = things["people"][role]
    if user is not None:
        sign_in(user)

    response = client.open(row.path.format(**things), method=row.method, data=row.data or {})

    db.session.expire_all()
    location = response.headers.get("Location", "")
    after = fingerprint()
    if answer == "ok":
        assert response.status_code in (200, 302, 400), response.get_data(as_text=True)[:500]
        assert "/auth/sign-in" not in location
        # An action that ran may have changed what the fingerprint does not look at.
        world.intact = row.method == "GET" and after == world.made_as
        return
    if answer == "in":
        assert response.status_code == 302
        assert "/auth/sign-in" in location
    else:
        assert response.status_code == int(answer)
    assert after == world.made_as
    world.intact = True


def test_every_route_that_declares_a_permission_has_a_row(app) -> None:
    """The route walk's other half: a new protected route needs its line in the matrix."""
    urls = app.url_map.bind("localhost")
    covered = set()
    for row in ROWS:
        path = row.path.split("?")[0].format(
            draft="d",
            registered="r",
            running="u",
            concluded="c",
            programme="p",
            award=1,
            request=1,
            measure=1,
            domain=1,
            idea=1,
            draft_round=1,
            open_round=1,
            scoring_round=1,
            closed_round=1,
            consultation=1,
            draft_consultation=1,
            comment=1,
            token=1,
            person=1,
            member=1,
        )
        covered.add(urls.match(path, method=row.method)[0])
    protected = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "permission", "public") != "public"
    }
    assert protected - covered == set()
