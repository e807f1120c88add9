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

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from app.auth.models import CouncilDomain, Membership
from app.extensions import db
from app.pilots.models import Pilot
from tests.auth.test_permissions import VALID as VALID_PILOT
from tests.factories import (
    create_award,
    create_council,
    create_measure,
    create_pilot,
    create_programme,
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
    # Councils' people, domains and audit
    Row("members", "GET", "/councils/aaa/members", LEAD_ADMINS),
    Row("decide a request", "POST", "/councils/aaa/members/{request}", LEAD_ADMINS, {"x": "1"}),
    Row("domains form", "GET", "/councils/aaa/domains", LEAD_ADMINS),
    Row("save domains", "POST", "/councils/aaa/domains", LEAD_ADMINS, {"domains": "a.test"}),
    Row("council audit log", "GET", "/councils/aaa/audit", LEAD_ADMINS),
    # A council admin is sent on to their council's log rather than refused.
    Row("registry audit log", "GET", "/audit", "in 403 403 403 ok ok 403 403 ok"),
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
    # Funding
    Row("new programme form", "GET", "/funding/programmes/new", FUNDERS),
    Row("new programme", "POST", "/funding/programmes/new", FUNDERS, {"name": ""}),
    Row("edit programme", "POST", "/funding/programmes/{programme}/edit", FUNDERS, {"x": "1"}),
    Row("new award", "POST", "/funding/programmes/{programme}/awards/new", FUNDERS, {"x": "1"}),
    Row("edit award", "POST", "/funding/programmes/{programme}/awards/{award}/edit", FUNDERS),
    Row("funder dashboard", "GET", "/funding/dashboard", FUNDERS),
    Row("dashboard CSV", "GET", "/funding/dashboard.csv?table=trials", FUNDERS),
]


def objects() -> dict[str, Any]:
    """Every object a row can name, with the people who hold each role."""
    lead = create_council(code="AAA", nice_name="Alphaton")
    other = create_council(code="BBB", nice_name="Betaford")
    partner = create_council(code="CCC", nice_name="Cefnfield")
    draft = create_pilot(lead, status="draft", title="Draft title", partners=[partner])
    registered = create_pilot(lead, status="registered", title="Registered", partners=[partner])
    running = create_pilot(lead, status="running", title="Running title", partners=[partner])
    measure = create_measure(draft)
    programme = create_programme()
    award = create_award(programme, registered)
    asker = create_user()
    request = Membership(user=asker, role="editor", council=lead, status="pending")
    domain = CouncilDomain(council=lead, domain="alphaton.test", status="pending", added_by=asker)
    db.session.add_all([request, domain])
    db.session.commit()
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
        "programme": programme.slug,
        "award": award.id,
        "measure": measure.id,
        "request": request.id,
        "domain": domain.id,
        "person": asker.id,
        "member": people["editor of the lead council"].memberships[0].id,
    }


def fingerprint() -> tuple[Any, ...]:
    """What a refused request must leave as it was: every table's rows, pilots' titles and
    states, memberships' and domains' states (sessions and the audit log excepted)."""
    counts = tuple(
        db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name not in ("user_sessions", "audit_events", "content_generation")
    )
    pilots = tuple(db.session.execute(select(Pilot.title, Pilot.status).order_by(Pilot.id)))
    requests = tuple(db.session.scalars(select(Membership.status).order_by(Membership.id)))
    domains = tuple(db.session.scalars(select(CouncilDomain.status).order_by(CouncilDomain.id)))
    return counts, pilots, requests, domains


CASES = [
    (row, role, answer)
    for row in ROWS
    for role, answer in zip(ROLES, row.answers.split(), strict=True)
]


def test_every_row_names_an_answer_for_every_role() -> None:
    assert all(len(row.answers.split()) == len(ROLES) for row in ROWS)


@pytest.mark.parametrize(
    ("row", "role", "answer"), CASES, ids=[f"{r.name}-{role}" for r, role, _ in CASES]
)
def test_permission_matrix(client, sign_in, row: Row, role: str, answer: str) -> None:
    things = objects()
    user = things["people"][role]
    if user is not None:
        sign_in(user)
    before = fingerprint()

    response = client.open(row.path.format(**things), method=row.method, data=row.data or {})

    db.session.expire_all()
    location = response.headers.get("Location", "")
    if answer == "ok":
        assert response.status_code in (200, 302, 400), response.get_data(as_text=True)[:500]
        assert "/auth/sign-in" not in location
        return
    if answer == "in":
        assert response.status_code == 302
        assert "/auth/sign-in" in location
    else:
        assert response.status_code == int(answer)
    assert fingerprint() == before


def test_every_route_that_declares_a_permission_has_a_row(app) -> None:
    """The route walk's other half: a new protected route needs its line in the matrix."""
    urls = app.url_map.bind("localhost")
    covered = set()
    for row in ROWS:
        path = row.path.split("?")[0].format(
            draft="d",
            registered="r",
            running="u",
            programme="p",
            award=1,
            request=1,
            measure=1,
            domain=1,
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
