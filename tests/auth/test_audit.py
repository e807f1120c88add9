"""The audit log: who did what and when, kept for good, shown to admins and to council admins."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.audit import AuditLogIsAppendOnly, record_audit
from app.auth.models import AuditEvent, Membership
from app.auth.service import grant_role
from app.extensions import db
from app.pilots.models import Pilot
from tests.factories import create_council, create_measure, create_pilot, create_user

VALID = {
    "title": "Chatbot for missed bins",
    "summary": "A chatbot answers missed-bin reports.",
    "lead_council": "AAA",
    "hypothesis": "We believe a chatbot will mean fewer calls. We will see 20% fewer.",
    "pillars": ["developing-solutions"],
    "evaluation_design": "2",
    "start_date": ["1", "4", "2030"],
    "planned_end_date": ["30", "9", "2030"],
}


def actions():
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    return [(e.actor_name, e.action, e.target_type, e.target_key) for e in events]


def test_creating_editing_and_registering_a_pilot_are_recorded(client, sign_in):
    council = create_council(code="AAA", nice_name="Alphaton")
    editor = create_user("editor", council, email="ed@aaa.gov.uk")
    sign_in(editor)
    client.post("/pilots/new", data=VALID)
    client.post("/pilots/chatbot-for-missed-bins/edit", data={**VALID, "title": "Chatbot v2"})
    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == "chatbot-for-missed-bins"))
    create_measure(pilot)  # registering needs a primary success measure
    client.post("/pilots/chatbot-for-missed-bins/register")
    assert actions() == [
        ("ed@aaa.gov.uk", "created", "pilot", "chatbot-for-missed-bins"),
        ("ed@aaa.gov.uk", "edited", "pilot", "chatbot-for-missed-bins"),
        ("ed@aaa.gov.uk", "registered", "pilot", "chatbot-for-missed-bins"),
    ]
    assert {e.council_id for e in db.session.scalars(select(AuditEvent))} == {council.id}


def test_granting_a_role_is_recorded(app_ctx):
    create_council(code="AAA")
    grant_role("someone@aaa.gov.uk", "editor", "AAA")
    assert actions() == [("system", "granted", "user", "someone@aaa.gov.uk")]


def test_audit_events_cannot_be_changed_or_deleted(app_ctx):
    event = record_audit(None, "created", "pilot", "x", "X")
    db.session.commit()
    event.action = "deleted"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert actions() == [("system", "created", "pilot", "x")]


def test_admins_see_the_whole_log(client, sign_in):
    record_audit(None, "created", "pilot", "secret-plan", "Secret plan")
    db.session.commit()
    sign_in(create_user("admin"))
    html = client.get("/audit").get_data(as_text=True)
    assert "Secret plan" in html


def test_council_admins_see_only_their_councils_events(client, sign_in):
    ours = create_council(code="AAA", nice_name="Alphaton")
    theirs = create_council(code="BBB", nice_name="Betaford")
    mine = create_pilot(ours, title="Our pilot")
    other = create_pilot(theirs, title="Their pilot")
    record_audit(None, "edited", "pilot", mine.slug, mine.title, ours.id)
    record_audit(None, "edited", "pilot", other.slug, other.title, theirs.id)
    db.session.commit()
    sign_in(create_user("council-admin", ours))
    html = client.get("/councils/aaa/audit").get_data(as_text=True)
    assert "Our pilot" in html and "Their pilot" not in html
    assert client.get("/councils/bbb/audit").status_code == 403
    # The registry's log sends them to their council's, saying why, rather than refusing.
    response = client.get("/audit", follow_redirects=True)
    assert response.request.path == "/councils/aaa/audit"
    html = response.get_data(as_text=True)
    assert "The registry&#39;s whole audit log is for its administrators" in html
    assert "Their pilot" not in html


def test_a_council_admin_of_several_councils_chooses_whose_log(client, sign_in):
    admin = create_user("council-admin", create_council(code="AAA", nice_name="Alphaton"))
    sign_in(create_user("council-admin", create_council(code="BBB", nice_name="Betaford")))
    db.session.add(Membership(user=admin, role="council-admin",
                              council=create_council(code="CCC", nice_name="Cefn")))  # fmt: skip
    db.session.commit()
    sign_in(admin)
    html = client.get("/audit").get_data(as_text=True)
    assert 'href="/councils/aaa/audit"' in html and 'href="/councils/ccc/audit"' in html
    assert 'href="/councils/bbb/audit"' not in html


def test_the_log_names_people_and_links_the_pilot_changed(client, sign_in):
    council = create_council(code="AAA")
    editor = create_user("editor", council, name="Priya Shah", email="priya@aaa.test")
    pilot = create_pilot(council, title="Bins")
    record_audit(editor, "edited", "pilot", pilot.slug, pilot.title, council.id)
    db.session.commit()
    sign_in(create_user("admin"))
    html = client.get("/audit").get_data(as_text=True)
    assert "Priya Shah" in html and "priya@aaa.test" not in html
    assert f'<a class="govuk-link" href="/pilots/{pilot.slug}">Bins</a>' in html


def test_editors_do_not_see_the_audit_log(client, sign_in):
    council = create_council(code="AAA")
    sign_in(create_user("editor", council))
    assert client.get("/audit").status_code == 403
    assert client.get("/councils/aaa/audit").status_code == 403


def test_the_account_page_links_admins_to_the_audit_log(client, sign_in):
    sign_in(create_user("admin"))
    assert 'href="/audit"' in client.get("/account").get_data(as_text=True)
