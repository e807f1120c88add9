"""Councils' email domains: a council admin's new domain waits for a registry admin, shared
domains and other councils' domains are refused, and a domain never admits the person who
added it (so no one approves their own request by way of a domain)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth import memberships
from app.auth.models import AuditEvent, CouncilDomain, Membership
from app.extensions import db
from tests.factories import create_council, create_user


def domain_states() -> dict[tuple[str, str], str]:
    db.session.expire_all()
    return {
        (row.council.code, row.domain): row.status
        for row in db.session.scalars(select(CouncilDomain))
    }


def membership_of(user) -> Membership:
    db.session.expire_all()
    return db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.role == "editor")
    ).one()


@pytest.mark.parametrize(
    "domain",
    ["gov.uk", "nhs.net", "gcsx.gov.uk", "police.uk", "sch.uk", "ac.uk", "co.uk", "outlook.com"],
)
def test_a_domain_many_organisations_share_is_refused(client, sign_in, domain):
    council = create_council(code="WBK", nice_name="West Berkshire")
    sign_in(create_user("council-admin", council))
    response = client.post("/councils/wbk/domains", data={"domains": domain})
    assert response.status_code == 400
    assert domain in response.get_data(as_text=True)
    assert domain_states() == {}


def test_a_councils_own_domain_under_a_shared_one_is_accepted(client, sign_in):
    council = create_council(code="WBK", nice_name="West Berkshire")
    sign_in(create_user("council-admin", council))
    response = client.post("/councils/wbk/domains", data={"domains": "westberks.gov.uk"})
    assert response.status_code == 302
    assert domain_states() == {("WBK", "westberks.gov.uk"): "pending"}


def test_a_council_admin_cannot_join_by_a_domain_they_just_added(client, sign_in):
    council = create_council(code="WBK", nice_name="West Berkshire")
    admin = create_user("council-admin", council, email="boss@funder.example")
    sign_in(admin)
    client.post("/councils/wbk/domains", data={"domains": "funder.example"})
    page = client.get("/councils/wbk/domains").get_data(as_text=True)
    assert "Waiting for a registry administrator" in page
    client.post("/account/join", data={"council": "WBK"})
    request = membership_of(admin)
    assert request.status == "pending"
    response = client.post(f"/councils/wbk/members/{request.id}", data={"approve": "y"})
    assert response.status_code == 400
    assert membership_of(admin).status == "pending"


def test_an_approved_domain_admits_others_but_never_the_person_who_added_it(client, sign_in):
    council = create_council(code="WBK", nice_name="West Berkshire")
    adder = create_user("council-admin", council, email="boss@westberks.gov.uk")
    sign_in(adder)
    client.post("/councils/wbk/domains", data={"domains": "westberks.gov.uk"})
    client.post("/account/join", data={"council": "WBK"})  # waits: the domain is not approved

    sign_in(create_user("admin"))
    page = client.get("/council-domains").get_data(as_text=True)
    assert "westberks.gov.uk" in page and "West Berkshire" in page
    record = db.session.scalars(select(CouncilDomain)).one()
    response = client.post(f"/council-domains/{record.id}", data={"approve": "y"})
    assert response.status_code == 302
    assert domain_states() == {("WBK", "westberks.gov.uk"): "approved"}
    assert membership_of(adder).status == "pending"  # approving a domain approves no one

    colleague = create_user(email="colleague@westberks.gov.uk")
    sign_in(colleague)
    client.post("/account/join", data={"council": "WBK"})
    assert membership_of(colleague).status == "approved"

    # The adder asks again (after a refusal, say): still waits for another administrator.
    membership_of(adder).status = "refused"
    db.session.commit()
    sign_in(adder)
    client.post("/account/join", data={"council": "WBK"})
    assert membership_of(adder).status == "pending"


def test_a_council_cannot_take_another_councils_domain(client, sign_in):
    herts = create_council(code="HRT", nice_name="Hertfordshire")
    berks = create_council(code="WBK", nice_name="West Berkshire")
    sign_in(create_user("council-admin", berks))
    response = client.post("/councils/wbk/domains", data={"domains": "hertfordshire.example"})
    assert response.status_code == 302
    # The first to ask does not win: the rightful council can still ask.
    herts_admin = create_user("council-admin", herts)
    sign_in(herts_admin)
    response = client.post("/councils/hrt/domains", data={"domains": "hertfordshire.example"})
    assert response.status_code == 302
    assert domain_states() == {
        ("WBK", "hertfordshire.example"): "pending",
        ("HRT", "hertfordshire.example"): "pending",
    }

    sign_in(create_user("admin"))
    page = client.get("/council-domains").get_data(as_text=True)
    assert "Also asked for by West Berkshire" in page
    herts_claim = db.session.scalars(
        select(CouncilDomain).where(CouncilDomain.council_id == herts.id)
    ).one()
    client.post(f"/council-domains/{herts_claim.id}", data={"approve": "y"})
    assert domain_states() == {
        ("WBK", "hertfordshire.example"): "refused",
        ("HRT", "hertfordshire.example"): "approved",
    }

    sign_in(create_user("council-admin", berks))
    response = client.post("/councils/wbk/domains", data={"domains": "hertfordshire.example"})
    assert response.status_code == 400
    assert "hertfordshire.example is already registered to Hertfordshire" in response.get_data(
        as_text=True
    )


def test_a_refused_domain_cannot_be_asked_for_again(client, sign_in):
    council = create_council(code="WBK", nice_name="West Berkshire")
    council_admin = create_user("council-admin", council)
    sign_in(council_admin)
    client.post("/councils/wbk/domains", data={"domains": "funder.example"})
    record = db.session.scalars(select(CouncilDomain)).one()
    sign_in(create_user("admin"))
    client.post(f"/council-domains/{record.id}", data={"refuse": "y"})
    sign_in(council_admin)
    response = client.post("/councils/wbk/domains", data={"domains": "funder.example"})
    assert response.status_code == 400
    assert "funder.example was refused" in response.get_data(as_text=True)
    assert "Refused" in client.get("/councils/wbk/domains").get_data(as_text=True)
    # Saving the list without it keeps the refusal on record.
    client.post("/councils/wbk/domains", data={"domains": ""})
    assert domain_states() == {("WBK", "funder.example"): "refused"}


def test_a_registry_admins_domain_is_approved_at_once(client, sign_in):
    create_council(code="WBK", nice_name="West Berkshire")
    sign_in(create_user("admin"))
    client.post("/councils/wbk/domains", data={"domains": "westberks.gov.uk"})
    assert domain_states() == {("WBK", "westberks.gov.uk"): "approved"}


def test_decisions_are_checked_and_audited(app_ctx):
    council = create_council(code="WBK", nice_name="West Berkshire")
    other = create_council(code="HRT", nice_name="Hertfordshire")
    admin = create_user("admin")
    shared = CouncilDomain(council=council, domain="gov.uk", status="pending")
    taken = CouncilDomain(council=council, domain="herts.example", status="pending")
    held = CouncilDomain(council=other, domain="herts.example", status="approved")
    own = CouncilDomain(council=council, domain="own.example", status="pending", added_by=admin)
    db.session.add_all([shared, taken, held, own])
    db.session.commit()
    for record, message in [
        (shared, "gov.uk is shared by many organisations"),
        (taken, "herts.example is already registered to Hertfordshire"),
        (own, "Another administrator must decide a domain you added"),
    ]:
        with pytest.raises(memberships.MembershipError, match=message):
            memberships.decide_domain(record.id, True, admin)
    with pytest.raises(memberships.MembershipError, match="no such domain"):
        memberships.decide_domain(held.id, False, admin)
    assert domain_states()[("WBK", "gov.uk")] == "pending"
    memberships.decide_domain(shared.id, False, admin)
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.target_type, event.target_key, event.actor_id) == (
        "refused", "council-domain", "gov.uk", admin.id,
    )  # fmt: skip


def test_a_bad_decision_is_a_plain_400(client, sign_in):
    sign_in(create_user("admin"))
    assert client.post("/council-domains/999", data={"approve": "y"}).status_code == 400
    assert client.post("/council-domains/999", data={}).status_code == 400
