"""A council admin adds panel members on the council's members page; nobody else can."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.auth.models import Membership
from app.extensions import db
from tests.factories import create_council, create_user


def test_a_council_admin_adds_a_panel_member_by_email(client: Any, sign_in: Any) -> None:
    council = create_council(code="AAA", nice_name="Alphaton")
    sign_in(create_user("council-admin", council))
    response = client.post("/councils/aaa/panel-members", data={"email": "Cllr.Ash@aaa.test "})
    assert response.status_code == 302
    page = client.get("/councils/aaa/members").get_data(as_text=True)
    assert "cllr.ash@aaa.test" in page and "panel-member" in page
    held = db.session.scalars(select(Membership).where(Membership.role == "panel-member")).one()
    assert held.council_id == council.id and held.status == "approved"


def test_an_editor_cannot_add_panel_members(client: Any, sign_in: Any) -> None:
    council = create_council(code="AAA", nice_name="Alphaton")
    sign_in(create_user("editor", council))
    response = client.post("/councils/aaa/panel-members", data={"email": "x@aaa.test"})
    assert response.status_code == 403
    assert (
        db.session.scalars(select(Membership).where(Membership.role == "panel-member")).all() == []
    )
