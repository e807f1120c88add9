"""Council admins are told someone is waiting to join (header and /account); each council has a
join link whose page tells a colleague what to do."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Membership
from app.extensions import db
from tests.factories import create_council, create_user


def ask(council, user) -> Membership:
    request = Membership(user=user, role="editor", council=council, status="pending")
    db.session.add(request)
    db.session.commit()
    return request


def test_a_council_admin_is_told_in_the_header_and_on_their_account(client, sign_in):
    kec = create_council(code="KEC", nice_name="Kensington")
    other = create_council(code="WBK", nice_name="West Berkshire")
    ask(kec, create_user(name="Sam"))
    ask(other, create_user())  # not theirs
    sign_in(create_user("council-admin", kec))
    home = client.get("/").get_data(as_text=True)
    assert "Join requests (1)" in home and 'href="/account#waiting-to-join"' in home
    account = client.get("/account").get_data(as_text=True)
    assert "1 person is waiting to join Kensington" in account
    assert 'href="/councils/kec/members"' in account


def test_no_one_else_is_told(client, sign_in):
    kec = create_council(code="KEC")
    ask(kec, create_user())
    sign_in(create_user("editor", kec))
    assert "Join requests" not in client.get("/").get_data(as_text=True)


def test_a_council_admins_own_request_is_not_counted_for_them(client, sign_in):
    kec = create_council(code="KEC")
    admin = create_user("council-admin", kec)
    ask(create_council(code="WBK"), admin)
    sign_in(admin)
    assert "Join requests" not in client.get("/").get_data(as_text=True)


def test_the_join_link_tells_a_colleague_what_to_do_and_asks(client, sign_in):
    kec = create_council(code="KEC", nice_name="Kensington")
    anonymous = client.get("/councils/kec/join").get_data(as_text=True)
    assert "Join Kensington on Proving Ground" in anonymous
    assert 'href="/auth/sign-in?next=/councils/kec/join"' in anonymous
    colleague = create_user(email="new@gmail.com")
    sign_in(colleague)
    page = client.get("/councils/kec/join").get_data(as_text=True)
    assert "Ask to join Kensington" in page
    client.post("/account/join", data={"council": "KEC"})
    request = db.session.scalar(select(Membership).where(Membership.user_id == colleague.id))
    assert (request.council_id, request.status) == (kec.id, "pending")
    assert "waiting for its admins" in client.get("/councils/kec/join").get_data(as_text=True)


def test_the_members_page_gives_the_join_link(client, sign_in):
    kec = create_council(code="KEC")
    sign_in(create_user("council-admin", kec))
    page = client.get("/councils/kec/members").get_data(as_text=True)
    assert 'value="http://localhost/councils/kec/join" readonly' in page
    assert client.get("/councils/zzz/join").status_code == 404
