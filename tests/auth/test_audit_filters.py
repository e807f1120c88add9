"""The audit log's filters, its CSV download, and what an edit changed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import select

from app.auth.audit import record_audit
from app.auth.models import AuditEvent
from app.extensions import db
from tests.auth.test_audit import VALID
from tests.factories import create_council, create_pilot, create_user


def entry(actor, action, pilot, at):
    event = record_audit(actor, action, "pilot", pilot.slug, pilot.title, pilot.lead_council_id)
    event.at = at
    db.session.commit()


def build_log():
    council = create_council(code="AAA", nice_name="Alphaton")
    priya = create_user("editor", council, name="Priya Shah", email="priya@aaa.test")
    sam = create_user("editor", council, name="Sam Jones", email="sam@aaa.test")
    bins, potholes = create_pilot(council, title="Bins"), create_pilot(council, title="Potholes")
    entry(priya, "created", bins, datetime(2026, 3, 1, 9, tzinfo=UTC))
    entry(priya, "edited", bins, datetime(2026, 3, 10, 9, tzinfo=UTC))
    entry(sam, "created", potholes, datetime(2026, 4, 2, 9, tzinfo=UTC))
    entry(sam, "=HYPERLINK", potholes, datetime(2026, 4, 3, 23, 59, tzinfo=UTC))
    return council


def listed(client, url):
    response = client.get(url)
    html = response.get_data(as_text=True)
    table = html.split("<tbody", 1)[1] if "<tbody" in html else ""
    return response.status_code, [t for t in ("Bins", "Potholes") if f">{t}</a>" in table], html


def test_filters_choose_who_what_when_and_which_pilot(client, sign_in):
    build_log()
    sign_in(create_user("admin"))
    assert listed(client, "/audit?who=priya")[1] == ["Bins"]
    assert listed(client, "/audit?who=sam%40aaa")[1] == ["Potholes"]
    _, found, html = listed(client, "/audit?action=edited")
    assert found == ["Bins"] and html.split("<tbody", 1)[1].count(">edited<") == 1
    assert listed(client, "/audit?from=2026-04-01&to=2026-04-03")[1] == ["Potholes"]
    assert listed(client, "/audit?to=2026-03-05")[1] == ["Bins"]
    assert listed(client, "/audit?about=pothole")[1] == ["Potholes"]
    _, found, html = listed(client, "/audit?who=nobody")
    assert found == [] and "No entries match these filters" in html


def test_bad_filters_are_explained_and_show_nothing_changed(client, sign_in):
    build_log()
    sign_in(create_user("admin"))
    status, _, html = listed(client, "/audit?from=31/03/2026")
    assert status == 400
    assert "govuk-error-summary" in html and "The start date must be a real date" in html
    assert 'href="#filter-from"' in html and 'id="filter-from"' in html
    status, _, html = listed(client, "/audit?from=2026-04-02&to=2026-04-01")
    assert status == 400 and "The end date must be the same as or after" in html
    assert client.get("/audit.csv?action=nope").status_code == 400


def test_the_csv_is_the_filtered_log_and_safe_in_a_spreadsheet(client, sign_in):
    build_log()
    sign_in(create_user("admin"))
    html = client.get("/audit?who=sam").get_data(as_text=True)
    assert 'href="/audit.csv?who=sam" download' in html
    response = client.get("/audit.csv?who=sam")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["who"], r["action"], r["target"]) for r in rows] == [
        ("Sam Jones", "'=HYPERLINK", "Potholes"),
        ("Sam Jones", "created", "Potholes"),
    ]


def test_a_council_admins_csv_holds_only_their_councils_entries(client, sign_in):
    ours = build_log()
    theirs = create_council(code="BBB")
    other = create_pilot(theirs, title="Their pilot")
    record_audit(None, "edited", "pilot", other.slug, other.title, theirs.id)
    db.session.commit()
    sign_in(create_user("council-admin", ours))
    body = client.get("/councils/aaa/audit.csv").get_data(as_text=True)
    assert "Bins" in body and "Their pilot" not in body
    assert client.get("/councils/bbb/audit.csv").status_code == 403
    assert client.get("/audit.csv", follow_redirects=True).request.path == "/councils/aaa/audit"


def test_an_edit_says_what_it_changed(client, sign_in):
    council = create_council(code="AAA", nice_name="Alphaton")
    editor = create_user("editor", council, email="ed@aaa.gov.uk")
    sign_in(editor)
    client.post("/pilots/new", data=VALID)
    long_summary = "A chatbot answers missed-bin reports, day and night, " * 4
    changed = {**VALID, "title": "Chatbot v2", "summary": long_summary}
    client.post("/pilots/chatbot-for-missed-bins/edit", data=changed)
    edit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "edited")).one()
    assert edit.detail["changes"] == [
        {"field": "title", "old": "Chatbot for missed bins", "new": "Chatbot v2"},
        {"field": "summary"},  # too long to quote: named only
    ]
    sign_in(create_user("admin"))
    html = client.get("/audit?action=edited").get_data(as_text=True)
    assert "title: “Chatbot for missed bins” → “Chatbot v2”; summary" in html
