"""Programmes and awards: public pages, and funders (only) creating and editing them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.funding import awards, service
from app.funding.models import Award, Programme
from tests.factories import (
    create_award,
    create_council,
    create_pilot,
    create_programme,
    create_user,
)

PROGRAMME_FORM = {
    "name": "Assisted Digital Trials",
    "funder_name": "Department for Testing",
    "funder_org_id": "gb-gor-d42",
    "round": "Round 2",
    "description": "Small grants.",
    "opens_on": ["1", "4", "2026"],
    "closes_on": ["30", "6", "2026"],
    "total_budget": "£250,000",
    "report_due_days": "45",
    "conditions": "Report within **45 days**.",
    "pillars": ["inclusion", "business-case"],
}


def test_programmes_are_listed_publicly_with_money_from_public_trials_only(client):
    programme = create_programme(name="Digital Inclusion Pilot Fund")
    council = create_council()
    create_award(programme, create_pilot(council), amount_awarded_pence=12_345_67)
    create_award(programme, create_pilot(council, status="draft"), amount_awarded_pence=99_000_00)
    page = client.get("/funding").get_data(as_text=True)
    assert "Digital Inclusion Pilot Fund" in page
    assert "£12,345.67" in page
    assert "£99,000" not in page


def test_programme_page_lists_public_awards_and_never_a_draft(client):
    programme = create_programme(total_budget_pence=500_000_00)
    council = create_council()
    shown = create_pilot(council, title="Library help sessions", status="concluded")
    shown.verdict = "proved"
    db.session.commit()
    create_award(programme, shown, amount_awarded_pence=40_000_00, amount_disbursed_pence=25_000_50)
    other = create_pilot(council, title="Bin sensors", status="running")
    create_award(programme, other, amount_awarded_pence=10_000_01, amount_disbursed_pence=0)
    create_award(programme, create_pilot(council, title="Secret draft", status="draft"))
    response = client.get(f"/funding/programmes/{programme.slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Library help sessions" in page and "Bin sensors" in page
    assert "Secret draft" not in page
    assert "£50,000.01" in page  # awarded: 40,000.00 + 10,000.01
    assert "£25,000.50" in page  # disbursed
    assert "£24,999.51" in page  # not yet disbursed


def test_unknown_programme_is_404(client):
    assert client.get("/funding/programmes/no-such-thing").status_code == 404


def test_pilot_page_shows_its_funding(client):
    programme = create_programme(name="Test Small, Learn Fast")
    pilot = create_pilot()
    create_award(programme, pilot, amount_awarded_pence=7_500_00, amount_disbursed_pence=2_500_00)
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Funding" in page and "Test Small, Learn Fast" in page
    assert "£7,500 awarded" in page and "£2,500 paid so far" in page


@pytest.mark.parametrize("role", ["funder", "admin"])
def test_funders_and_admins_create_programmes(client, sign_in, role):
    sign_in(create_user(role))
    response = client.post("/funding/programmes/new", data=PROGRAMME_FORM)
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme))
    assert programme.slug == "assisted-digital-trials"
    assert programme.funder_org_id == "GB-GOR-D42"
    assert programme.total_budget_pence == 250_000_00
    assert programme.report_due_days == 45
    assert programme.opens_on == date(2026, 4, 1)
    assert programme.pillars == ["business-case", "inclusion"]
    page = client.get(response.location).get_data(as_text=True)
    assert "45 days after a trial ends" in page


def test_others_cannot_create_programmes(client, sign_in):
    assert client.post("/funding/programmes/new", data=PROGRAMME_FORM).status_code == 302
    council = create_council()
    for role in ("editor", "council-admin"):
        sign_in(create_user(role, council))
        assert client.post("/funding/programmes/new", data=PROGRAMME_FORM).status_code == 403
        assert client.get("/funding/programmes/new").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("funder_org_id", "Department 6", "org-id"),
        ("total_budget", "lots", "amount in pounds"),
        ("closes_on", ["1", "1", "2026"], "on or after the opening date"),
        ("report_due_days", "soon", "whole number"),
        ("pillars", ["not-a-pillar"], "Choose pillars from the list"),
    ],
)
def test_bad_programme_input_is_explained_and_saves_nothing(client, sign_in, field, value, message):
    sign_in(create_user("funder"))
    response = client.post("/funding/programmes/new", data={**PROGRAMME_FORM, field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 0


def test_funder_edits_a_programme_and_keeps_its_address(client, sign_in):
    programme = create_programme(name="Old name", slug="old-name")
    sign_in(create_user("funder"))
    form = {**PROGRAMME_FORM, "name": "New name", "report_due_days": ""}
    response = client.post("/funding/programmes/old-name/edit", data=form)
    assert response.status_code == 302
    db.session.refresh(programme)
    assert programme.name == "New name" and programme.slug == "old-name"
    assert programme.report_due_days is None


def _award_form(for_pilot, **changes):
    return {
        "pilot": for_pilot.slug,
        "recipient": for_pilot.lead_council.code,
        "reference": "AW-1",
        "amount_awarded": "12,500.50",
        "amount_disbursed": "2500",
        "award_date": ["3", "2", "2026"],
        "planned_start_date": ["1", "3", "2026"],
        "planned_end_date": ["31", "8", "2026"],
        **changes,
    }


def test_funder_records_an_award_to_a_partner_council(client, sign_in):
    programme = create_programme()
    partner = create_council()
    pilot = create_pilot(partners=[partner])
    sign_in(create_user("funder"))
    response = client.post(
        f"/funding/programmes/{programme.slug}/awards/new",
        data=_award_form(pilot, recipient=partner.code.lower()),
    )
    assert response.status_code == 302
    award = db.session.scalar(select(Award))
    assert award.recipient_council_id == partner.id
    assert award.amount_awarded_pence == 12_500_50
    assert award.amount_disbursed_pence == 2_500_00
    assert award.planned_end_date == date(2026, 8, 31)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount_disbursed": "20000"}, "cannot be more than the amount awarded"),
        ({"recipient": "OUT"}, "is not the lead or a partner council"),
        ({"recipient": "QQQ"}, "There is no council with code QQQ"),
        ({"planned_end_date": ["1", "1", "2026"]}, "on or after the planned start"),
        ({"amount_awarded": "£1,000,000"}, "over its total budget"),
        ({"award_date": ["", "", ""]}, "Enter the award date"),
        ({"pilot": "a-draft"}, "Choose a published pilot"),
    ],
)
def test_bad_award_input_is_explained_and_saves_nothing(client, sign_in, changes, message):
    programme = create_programme(total_budget_pence=500_000_00)
    pilot = create_pilot()
    create_council(code="OUT")
    create_pilot(slug="a-draft", status="draft")
    sign_in(create_user("funder"))
    response = client.post(
        f"/funding/programmes/{programme.slug}/awards/new", data=_award_form(pilot, **changes)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Award)) == 0


def test_award_references_are_unique_within_a_programme(client, sign_in):
    programme = create_programme()
    pilot = create_pilot()
    create_award(programme, pilot, reference="AW-1")
    create_award(create_programme(), pilot, reference="AW-2")
    sign_in(create_user("funder"))
    url = f"/funding/programmes/{programme.slug}/awards/new"
    response = client.post(url, data=_award_form(pilot))
    assert response.status_code == 400
    assert "already has an award with reference AW-1" in response.get_data(as_text=True)
    assert client.post(url, data=_award_form(pilot, reference="AW-2")).status_code == 302


def test_funder_updates_money_disbursed(client, sign_in):
    programme = create_programme()
    pilot = create_pilot()
    award = create_award(programme, pilot, reference="AW-1", amount_awarded_pence=12_500_50)
    sign_in(create_user("funder"))
    url = f"/funding/programmes/{programme.slug}/awards/{award.id}/edit"
    assert "12500.50" in client.get(url).get_data(as_text=True)
    response = client.post(url, data=_award_form(pilot, amount_disbursed="12500.50"))
    assert response.status_code == 302
    db.session.refresh(award)
    assert award.amount_disbursed_pence == 12_500_50


def test_editors_cannot_edit_awards(client, sign_in):
    programme = create_programme()
    pilot = create_pilot()
    award = create_award(programme, pilot, reference="AW-1")
    sign_in(create_user("editor", pilot.lead_council))
    url = f"/funding/programmes/{programme.slug}/awards/{award.id}/edit"
    assert client.post(url, data=_award_form(pilot, amount_disbursed="1")).status_code == 403
    db.session.refresh(award)
    assert award.amount_disbursed_pence == 0


def test_a_programme_called_new_does_not_hide_the_new_programme_form(client, sign_in):
    sign_in(create_user("funder"))
    client.post("/funding/programmes/new", data={**PROGRAMME_FORM, "name": "New"})
    assert db.session.scalar(select(Programme.slug)) == "new-programme"


def award_input(pilot, recipient: str, **details) -> awards.AwardInput:
    values = {
        "reference": "AW-9",
        "amount_awarded_pence": 10_000_00,
        "amount_disbursed_pence": 0,
        "award_date": date(2026, 4, 1),
    }
    return awards.AwardInput(pilot.slug, recipient, {**values, **details})


def test_the_service_records_an_award_only_for_a_public_pilot_and_a_real_council(app_ctx):
    programme = create_programme(total_budget_pence=50_000_00)
    pilot = create_pilot()
    draft = create_pilot(pilot.lead_council, status="draft")
    lead = pilot.lead_council.code
    refusals = [
        (award_input(draft, lead), "pilot"),
        (award_input(pilot, "QQQ"), "recipient"),
        (award_input(pilot, lead, amount_awarded_pence=60_000_00), "amount_awarded"),
    ]
    for entered, field in refusals:
        with pytest.raises(service.FundingRulesError) as refused:
            awards.save_award(programme, entered)
        assert list(refused.value.errors) == [field]
    assert db.session.scalar(select(func.count()).select_from(Award)) == 0
    award = awards.save_award(programme, award_input(pilot, lead.lower()))
    assert (award.pilot_id, award.recipient_council_id) == (pilot.id, pilot.lead_council_id)


def test_the_service_saves_a_programme_only_when_its_rules_hold(app_ctx):
    data = service.ProgrammeData(
        name="Trials", funder_name="Department for Testing", funder_org_id="not an org-id"
    )
    with pytest.raises(service.FundingRulesError) as refused:
        service.save_programme(data)
    assert list(refused.value.errors) == ["funder_org_id"]
    data.funder_org_id = "GB-GOR-D42"
    assert service.save_programme(data).slug == "trials"
