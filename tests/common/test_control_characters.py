"""Control characters are refused at the edge, once, for every address, query parameter and form
field: PostgreSQL cannot store a NUL and would answer 500 wherever one reached a query.

Every route in the URL map is walked, so a route added later is covered without being listed."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.pilots.models import Pilot
from tests.common.route_walk import VARIABLE, build_path, get_rules, walk_objects
from tests.factories import create_user

# Every query parameter a route reads, and one none does.
QUERY_PARAMETERS = (
    "q", "council", "council_type", "programme", "pillar", "region", "status", "verdict", "cost",
    "year", "sort", "page", "table", "round", "next", "nation", "type", "pilot", "code", "state",
    "error", "iss", "anything",
)  # fmt: skip
# C0 (with tab, CR and LF: none belongs in an address), DEL and C1.
IN_ADDRESSES = ("\x00", "\x01", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\x9f")
# Form text may have several lines, so tab, CR and LF are allowed there.
IN_FORMS = ("\x00", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x80", "\x9f")
PLAIN_TEXT = ("/feeds/", "/export/")


def assert_refused(response: Any, where: str) -> None:
    response.close()
    assert response.status_code == 400, (where, response.status_code)
    if response.request.path.startswith(PLAIN_TEXT):
        assert response.mimetype == "text/plain", where
        assert "control character" in response.get_data(as_text=True)
    else:
        assert "control character" in response.get_data(as_text=True), where


def fingerprint() -> tuple[int | None, ...]:
    tables = (t for t in db.metadata.sorted_tables if t.name not in ("user_sessions",))
    return tuple(db.session.scalar(select(func.count()).select_from(t)) for t in tables)


@pytest.fixture
def objects(app_ctx: Any) -> dict[str, Any]:
    return walk_objects()


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
def test_a_nul_in_any_path_variable_is_refused(client, sign_in, objects, signed_in):
    if signed_in:
        sign_in(create_user("admin"))
    walked = 0
    for rule in get_rules(client.application):
        for name in VARIABLE.findall(rule.rule):
            path = build_path(rule, objects, replace={name: f"x\x00{name}"})
            assert_refused(client.get(path), path)
            walked += 1
    assert walked > 20


def test_a_nul_in_any_query_parameter_is_refused_on_every_page(client, sign_in, objects):
    sign_in(create_user("admin"))
    for rule in get_rules(client.application):
        path = build_path(rule, objects)
        for name in QUERY_PARAMETERS:
            assert_refused(client.get(path, query_string={name: "a\x00"}), f"{path}?{name}")
        assert_refused(client.get(path, query_string={"a\x00": "1"}), f"{path} (name)")


@pytest.mark.parametrize("character", IN_ADDRESSES, ids=[hex(ord(c)) for c in IN_ADDRESSES])
def test_other_control_characters_in_addresses_are_refused(client, objects, character):
    registered = objects["registered"]
    assert_refused(client.get(f"/pilots/{registered}{quote(character)}"), "path")
    assert_refused(client.get("/pilots", query_string={"council": character}), "query")
    assert_refused(client.get("/feeds/search.atom", query_string={"q": character}), "feed")
    assert_refused(client.get("/export/pilots.csv", query_string={"council": character}), "csv")


@pytest.mark.parametrize("character", IN_FORMS, ids=[hex(ord(c)) for c in IN_FORMS])
def test_every_form_refuses_a_control_character_and_changes_nothing(
    client, sign_in, objects, character
):
    sign_in(create_user("admin"))
    before = fingerprint()
    for rule in get_rules(client.application, "POST"):
        path = build_path(rule, objects)
        data = {"title": f"Bins{character}", "name": "A name", "reason": "Because"}
        assert_refused(client.post(path, data=data), path)
        assert_refused(client.post(path, data={f"x{character}": "1"}), f"{path} (name)")
    db.session.expire_all()
    assert fingerprint() == before


VALID_PILOT = {
    "title": "Chatbot for missed bins",
    "lead_council": "AAA",
    "summary": "A chatbot.",
    "hypothesis": "We believe that a chatbot will result in fewer calls.",
    "pillars": ["developing-solutions"],
}


def test_tabs_and_new_lines_are_kept_in_form_text(client, sign_in, objects):
    sign_in(create_user("admin"))
    summary = "First line\r\nSecond line\n\tindented"
    response = client.post("/pilots/new", data={**VALID_PILOT, "summary": summary})
    assert response.status_code == 302
    stored = db.session.scalar(select(Pilot.summary).where(Pilot.title == VALID_PILOT["title"]))
    assert stored is not None and "Second line" in stored and "\tindented" in stored


def test_bidirectional_controls_are_taken_out_of_every_form_field(client, sign_in, objects):
    sign_in(create_user("admin"))
    title = "Invoice \u202egpj.exe \u2067مرحبا\u2069"
    response = client.post("/pilots/new", data={**VALID_PILOT, "title": title})
    assert response.status_code == 302
    stored = db.session.scalar(select(Pilot.title).where(Pilot.title.like("Invoice%")))
    assert stored == "Invoice gpj.exe مرحبا"
