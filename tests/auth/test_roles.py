"""Roles on a page: registry admins find people and give or take away roles; council admins
change a member's role or remove them. Audited, and never leaving the registry without an admin
or a council without its council admin."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import AuditEvent, Membership
from app.extensions import db
from tests.factories import create_council, create_user


def roles_of(user) -> set[tuple[str, str | None]]:
    db.session.expire_all()
    return {(m.role, m.council.code if m.council else None) for m in user.memberships}


def test_an_admin_finds_a_person_by_name_and_makes_them_a_funder(client, sign_in):
    admin = create_user("admin", name="Registry Admin")
    jo = create_user(name="Jo Bennett", email="jo@funder.test")
    create_user(name="Someone Else")
    sign_in(admin)
    page = client.get("/people?q=benn").get_data(as_text=True)
    assert "Jo Bennett" in page and "Someone Else" not in page

    response = client.post(f"/people/{jo.id}", data={"role": "funder", "council": ""})
    assert response.status_code == 302
    assert "Jo Bennett is now funder" in client.get(response.location).get_data(as_text=True)
    assert roles_of(jo) == {("funder", None)}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "granted"))
    assert event.actor_id == admin.id and event.target_label == "funder to Jo Bennett"


def test_a_council_role_needs_a_council_and_nothing_changes_without_one(client, sign_in):
    create_council(code="KEC", nice_name="Kensington")
    sign_in(create_user("admin"))
    jo = create_user(name="Jo")
    response = client.post(f"/people/{jo.id}", data={"role": "editor", "council": ""})
    assert response.status_code == 400
    assert "Choose a council for an editor" in response.get_data(as_text=True)
    assert roles_of(jo) == set()
    client.post(f"/people/{jo.id}", data={"role": "editor", "council": "KEC"})
    assert roles_of(jo) == {("editor", "KEC")}


def test_an_admin_takes_a_role_away_and_it_is_audited(client, sign_in):
    admin = create_user("admin")
    funder = create_user("funder", name="Jo")
    sign_in(admin)
    membership = funder.memberships[0]
    response = client.post(f"/people/{funder.id}/roles/{membership.id}/revoke")
    assert response.status_code == 302
    assert roles_of(funder) == set()
    assert db.session.scalar(select(AuditEvent.target_label).where(AuditEvent.action == "revoked"))
    assert client.get("/funding/dashboard").status_code == 200  # the admin still may


def test_the_last_registry_admin_keeps_the_role(client, sign_in):
    admin = create_user("admin", name="Only Admin")
    sign_in(admin)
    membership = admin.memberships[0]
    response = client.post(f"/people/{admin.id}/roles/{membership.id}/revoke")
    assert response.status_code == 400
    assert "only admin" in response.get_data(as_text=True)
    assert roles_of(admin) == {("admin", None)}
    second = create_user("admin")
    assert client.post(f"/people/{admin.id}/roles/{membership.id}/revoke").status_code == 302
    assert roles_of(admin) == set() and roles_of(second) == {("admin", None)}


def test_a_council_admin_makes_an_editor_a_council_admin(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    admin = create_user("council-admin", council)
    editor = create_user("editor", council, name="Priya")
    sign_in(admin)
    page = client.get("/councils/kec/members").get_data(as_text=True)
    membership = editor.memberships[0]
    change = f"/councils/kec/members/{membership.id}/change"
    assert change in page
    assert client.post(change, data={"change": "council-admin"}).status_code == 302
    assert roles_of(editor) == {("council-admin", "KEC")}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "changed-role"))
    assert event.council_id == council.id and event.detail["after"] == "council-admin"


def test_a_council_admin_removes_a_member_but_not_the_last_admin(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    admin = create_user("council-admin", council)
    editor = create_user("editor", council)
    sign_in(admin)
    member = editor.memberships[0]
    response = client.post(f"/councils/kec/members/{member.id}/change", data={"change": "remove"})
    assert response.status_code == 302
    assert roles_of(editor) == set()

    own = admin.memberships[0]
    response = client.post(f"/councils/kec/members/{own.id}/change", data={"change": "remove"})
    assert response.status_code == 400
    assert "only council admin of Kensington" in response.get_data(as_text=True)
    assert roles_of(admin) == {("council-admin", "KEC")}


def test_a_council_admin_cannot_change_another_councils_member(client, sign_in):
    ours = create_council(code="KEC")
    theirs = create_council(code="WBK")
    sign_in(create_user("council-admin", ours))
    stranger = create_user("editor", theirs)
    membership = stranger.memberships[0]
    response = client.post(
        f"/councils/kec/members/{membership.id}/change", data={"change": "remove"}
    )
    assert response.status_code == 404
    assert db.session.get(Membership, membership.id) is not None


def test_the_command_revokes_with_the_same_last_admin_guard(app, app_ctx):
    runner = app.test_cli_runner()
    admin = create_user("admin", email="only@registry.test")
    create_user("funder", email="jo@funder.test")
    result = runner.invoke(args=["users", "revoke", "only@registry.test", "admin"])
    assert result.exit_code == 1 and "only admin" in result.output
    assert roles_of(admin) == {("admin", None)}
    result = runner.invoke(args=["users", "revoke", "jo@funder.test", "funder"])
    assert result.exit_code == 0, result.output
    assert "Revoked funder from jo@funder.test." in result.output
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "revoked"))
