"""Joining a council: automatic for its registered domains, otherwise approved by its admins."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth import memberships
from app.auth.models import CouncilDomain, Membership
from app.auth.oidc import Identity
from app.auth.service import grant_role, user_from_identity
from app.extensions import db
from tests.factories import create_council, create_user


def test_the_account_page_shows_councils_and_roles(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    user = create_user("editor", council, email="ed@kec.gov.uk")
    sign_in(user)
    html = client.get("/account").get_data(as_text=True)
    assert "ed@kec.gov.uk" in html
    assert "Kensington" in html and "editor" in html


def test_joining_with_a_registered_domain_is_approved_at_once(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    db.session.add(CouncilDomain(council=council, domain="kec.gov.uk", status="approved"))
    db.session.commit()
    user = create_user(email="new@kec.gov.uk", email_verified=True)
    sign_in(user)
    response = client.post("/account/join", data={"council": "KEC"}, follow_redirects=True)
    assert "You are now an editor for Kensington" in response.get_data(as_text=True)
    membership = db.session.scalar(select(Membership))
    assert (membership.role, membership.status) == ("editor", "approved")
    # …and the new editor can now create a pilot for the council.
    assert client.get("/pilots/new").status_code == 200


def test_an_unverified_email_waits_for_approval(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    db.session.add(CouncilDomain(council=council, domain="kec.gov.uk", status="approved"))
    db.session.commit()
    sign_in(create_user(email="new@kec.gov.uk", email_verified=False))
    client.post("/account/join", data={"council": "KEC"})
    assert db.session.scalar(select(Membership)).status == "pending"
    assert client.get("/pilots/new").status_code == 403


def test_the_council_admin_approves_a_request(client, sign_in, app_ctx):
    council = create_council(code="KEC", nice_name="Kensington")
    applicant = create_user(email="someone@gmail.com")
    sign_in(applicant)
    client.post("/account/join", data={"council": "KEC"})
    request = db.session.scalar(select(Membership))
    assert request.status == "pending"
    assert "Waiting for approval" in client.get("/account").get_data(as_text=True)

    sign_in(create_user("council-admin", council))
    page = client.get("/councils/kec/members").get_data(as_text=True)
    assert "someone@gmail.com" in page
    response = client.post(f"/councils/kec/members/{request.id}", data={"approve": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert request.status == "approved"
    assert request.decided_by_id is not None


def test_a_request_can_be_refused(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    sign_in(create_user(email="someone@gmail.com"))
    client.post("/account/join", data={"council": "KEC"})
    request = db.session.scalar(select(Membership))
    sign_in(create_user("council-admin", council))
    client.post(f"/councils/kec/members/{request.id}", data={"refuse": "y"})
    db.session.expire_all()
    assert request.status == "refused"


def test_another_councils_admin_cannot_approve_or_see_members(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    other = create_council(code="BBB", nice_name="Betaford")
    sign_in(create_user(email="someone@gmail.com"))
    client.post("/account/join", data={"council": "KEC"})
    request = db.session.scalar(select(Membership))
    sign_in(create_user("council-admin", other))
    assert client.get("/councils/kec/members").status_code == 403
    assert (
        client.post(f"/councils/kec/members/{request.id}", data={"approve": "y"}).status_code == 403
    )
    # Nor through their own council's address.
    response = client.post(f"/councils/bbb/members/{request.id}", data={"approve": "y"})
    assert response.status_code == 400
    db.session.expire_all()
    assert request.status == "pending"
    assert council.id != other.id


def test_an_editor_cannot_approve_members(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    sign_in(create_user("editor", council))
    assert client.get("/councils/kec/members").status_code == 403
    assert client.get("/councils/kec/domains").status_code == 403


def test_a_council_admin_sets_its_domains(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    sign_in(create_user("council-admin", council))
    response = client.post("/councils/kec/domains", data={"domains": "KEC.gov.uk\n@rbkc.gov.uk"})
    assert response.status_code == 302
    domains = db.session.scalars(select(CouncilDomain.domain).order_by(CouncilDomain.domain))
    assert list(domains) == ["kec.gov.uk", "rbkc.gov.uk"]
    assert "rbkc.gov.uk" in client.get("/councils/kec/domains").get_data(as_text=True)


def test_public_email_services_and_nonsense_are_refused_as_domains(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    sign_in(create_user("council-admin", council))
    response = client.post("/councils/kec/domains", data={"domains": "gmail.com\nnot a domain"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "gmail.com is a public email service" in html
    assert "is not a domain name" in html
    assert db.session.scalar(select(CouncilDomain)) is None


def test_joining_twice_is_explained(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    sign_in(create_user("editor", council))
    response = client.post("/account/join", data={"council": "KEC"})
    assert response.status_code == 400
    assert "You are already an editor for Kensington" in response.get_data(as_text=True)


def test_an_invitation_passes_to_the_first_verified_sign_in(app_ctx):
    council = create_council(code="KEC", nice_name="Kensington")
    grant_role("Boss@KEC.gov.uk", "council-admin", "KEC")
    unverified = user_from_identity(Identity("https://idp", "s0", "boss@kec.gov.uk", False, ""))
    assert unverified.memberships == []
    user = user_from_identity(Identity("https://idp", "s1", "boss@kec.gov.uk", True, "Boss"))
    assert [(m.role, m.council) for m in user.memberships] == [("council-admin", council)]
    # A second provider with the same email gets its own, empty account.
    other = user_from_identity(Identity("https://other", "s1", "boss@kec.gov.uk", True, "Boss"))
    assert other.id != user.id and other.memberships == []


def test_a_council_admin_cannot_approve_their_own_request(client, sign_in):
    council = create_council(code="KEC", nice_name="Kensington")
    admin = create_user("council-admin", council, email="boss@gmail.com")
    sign_in(admin)
    client.post("/account/join", data={"council": "KEC"})
    request = db.session.scalar(select(Membership).where(Membership.status == "pending"))
    response = client.post(f"/councils/kec/members/{request.id}", data={"approve": "y"})
    assert response.status_code == 400
    assert "Another administrator must decide your own request" in response.get_data(as_text=True)
    db.session.expire_all()
    assert request.status == "pending"


def test_a_domain_belongs_to_one_council(client, sign_in):
    herts = create_council(code="HRT", nice_name="Hertfordshire")
    kensington = create_council(code="KEC", nice_name="Kensington")
    db.session.add(
        CouncilDomain(council_id=herts.id, domain="hertfordshire.gov.uk", status="approved")
    )
    db.session.commit()
    sign_in(create_user("council-admin", kensington))
    response = client.post("/councils/kec/domains", data={"domains": "hertfordshire.gov.uk"})
    assert response.status_code == 400
    assert "hertfordshire.gov.uk is already registered to Hertfordshire" in response.get_data(
        as_text=True
    )
    held = db.session.scalars(
        select(CouncilDomain.council_id).where(CouncilDomain.domain == "hertfordshire.gov.uk")
    )
    assert list(held) == [herts.id]


def test_the_service_saves_domains_only_when_every_one_is_fit(app_ctx):
    herts = create_council(code="HRT", nice_name="Hertfordshire")
    kensington = create_council(code="KEC", nice_name="Kensington")
    admin = create_user("admin")
    memberships.save_council_domains(herts, "hertfordshire.gov.uk", admin)
    with pytest.raises(memberships.MembershipError) as refused:
        memberships.save_council_domains(
            kensington, "rbkc.gov.uk, gmail.com\nhertfordshire.gov.uk", admin
        )
    assert str(refused.value) == (
        "gmail.com is a public email service: anyone can have an address there; "
        "hertfordshire.gov.uk is already registered to Hertfordshire"
    )
    assert memberships.council_domains(kensington) == []
    assert memberships.save_council_domains(kensington, "@RBKC.gov.uk", admin) == ["rbkc.gov.uk"]
