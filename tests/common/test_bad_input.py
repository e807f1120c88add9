"""Input a user can type never gives a 500: it is refused with a message, and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.common.money import parse_pounds
from app.extensions import db
from app.pilots.models import Pilot
from tests.factories import create_council, create_pilot, create_user

VALID = {
    "title": "Chatbot for missed bins",
    "lead_council": "AAA",
    "summary": "A chatbot answers missed-bin reports.",
    "hypothesis": "We believe that a chatbot will result in fewer calls.",
    "pillars": ["developing-solutions"],
}


@pytest.fixture
def editor(app_ctx, sign_in):
    council = create_council(code="AAA")
    user = create_user("editor", council)
    sign_in(user)
    return user


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Pilot)) or 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"planned_cost": "99999999999999999999"}, "no more than £1,000,000,000"),
        ({"actual_cost": "1000000001"}, "no more than £1,000,000,000"),
        ({"tags": "ok, " + "x" * 61}, "60 characters or fewer"),
    ],
)
def test_oversized_values_are_refused_with_a_message(client, editor, changes, message):
    response = client.post("/pilots/new", data={**VALID, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count() == 0


def test_a_thirty_million_pound_pilot_is_stored_exactly(client, editor):
    response = client.post("/pilots/new", data={**VALID, "planned_cost": "£30,000,000.01"})
    assert response.status_code == 302
    assert db.session.scalar(select(Pilot.planned_cost_pence)) == 3_000_000_001


def test_parse_pounds_limits():
    assert parse_pounds("1,000,000,000") == 100_000_000_000
    assert parse_pounds("1,000,000,000.00") == 100_000_000_000
    for over in ("1000000001", "1,000,000,000.01", "£1000000000.1"):
        with pytest.raises(ValueError, match="no more than"):
            parse_pounds(over)


def test_a_penny_over_a_billion_is_refused_on_the_pilot_form(client, editor):
    response = client.post("/pilots/new", data={**VALID, "planned_cost": "£1,000,000,000.01"})
    assert response.status_code == 400
    assert "no more than £1,000,000,000" in response.get_data(as_text=True)
    assert count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/pilots/{slug}/measures/99999999999999999999/edit",
        "/pilots/{slug}/measures/0/edit",
        "/councils/aaa/members/99999999999999999999",
    ],
)
def test_huge_ids_in_addresses_are_not_found(client, editor, path):
    pilot = create_pilot(editor.memberships[0].council, status="draft")
    method = "POST" if "members" in path else "GET"
    response = client.open(path.format(slug=pilot.slug), method=method)
    assert response.status_code == 404


def test_a_database_failure_still_renders_the_error_page(client, app_ctx, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from app.pilots import service

    def broken(*args, **kwargs):
        db.session.execute(select(func.count()).select_from(Pilot))
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(service, "recent_public_pilots", broken)
    response = client.get("/")
    assert response.status_code in (500, 503)
    assert "Sorry" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["²", "①", "٢", "1e3", "-1", "9" * 30])
def test_page_numbers_must_be_plain_digits(client, app_ctx, value):
    assert client.get("/pilots", query_string={"page": value}).status_code == 400


def test_leading_zeros_do_not_hide_a_huge_amount():
    assert parse_pounds("0005") == 500
    with pytest.raises(ValueError, match="no more than"):
        parse_pounds("0" * 10 + "9" * 13)
    with pytest.raises(ValueError):
        parse_pounds("٢٠٠")


def test_bidirectional_overrides_are_removed_but_right_to_left_text_kept():
    from app.common.text import strip_control

    assert strip_control("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert strip_control("مرحبا \u2067x\u2069 שלום") == "مرحبا x שלום"


def test_a_year_that_is_not_plain_digits_is_refused_on_the_dashboard(client, app_ctx, sign_in):
    sign_in(create_user("funder"))
    for value in ("²", "٢٠٢٦", "20260"):
        response = client.get("/funding/dashboard", query_string={"year": value})
        assert response.status_code == 400, value
