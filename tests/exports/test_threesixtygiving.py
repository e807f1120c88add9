"""/export/360giving.json: a 360Giving 1.4.3 data package, one grant per public award."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import create_award, create_council, create_pilot, create_programme

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "data"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def make_awards():
    programme = create_programme(
        slug="small-tests", name="Test Small", funder_name="Dept", funder_org_id="GB-GOR-D6"
    )
    london = create_council(code="LBA", gss_code="E09000020", nice_name="Borough A")
    county = create_council(code="CTA", gss_code="E10000015")
    scottish = create_council(code="SCA", gss_code="S12000049", nation="Scotland")
    pilot = create_pilot(
        london,
        partners=[county],
        status="concluded",
        verdict="proved",
        actual_end_date=date(2026, 7, 10),
    )
    awards = [
        create_award(programme, pilot, amount_awarded_pence=12_500_50, amount_disbursed_pence=99),
        create_award(
            programme,
            pilot,
            recipient=county,
            amount_awarded_pence=3_000_00,
            planned_start_date=date(2026, 2, 1),
            planned_end_date=date(2026, 5, 31),
        ),
        create_award(programme, create_pilot(scottish, status="withdrawn")),
    ]
    draft = create_award(programme, create_pilot(london, status="draft"))
    return programme, awards, draft


def fetch(client, url="/export/360giving.json"):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.is_streamed
    return json.loads(response.get_data().decode("utf-8"))


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="the 360Giving schemas are in ../shared/data")
def test_package_validates_against_the_360giving_schema(client):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    make_awards()
    package_schema = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    grant_schema = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    grant_address = package_schema["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resource(grant_address, Resource(grant_schema, DRAFT202012))
    validator = Draft202012Validator(
        package_schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    package = fetch(client)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(package)]
    assert errors == []
    assert len(package["grants"]) == 3
    # The checker really checks: a bad date and a missing recipient are caught.
    broken = json.loads(json.dumps(package))
    broken["grants"][0]["awardDate"] = "28/02/2025"
    del broken["grants"][1]["recipientOrganization"]
    assert len(list(validator.iter_errors(broken))) >= 2


def test_grants_carry_ids_money_dates_org_ids_and_codes(client):
    _, awards, draft = make_awards()
    package = fetch(client)
    assert package["version"] == "1.4"
    grants = {g["id"]: g for g in package["grants"]}
    assert set(grants) == {f"360G-provingground-{a.id}" for a in awards}
    assert f"360G-provingground-{draft.id}" not in grants
    for award in awards:
        grant = grants[f"360G-provingground-{award.id}"]
        council, pilot = award.recipient, award.pilot
        assert grant["title"] == pilot.title
        assert grant["currency"] == "GBP"
        assert Decimal(str(grant["amountAwarded"])) * 100 == award.amount_awarded_pence
        assert Decimal(str(grant["amountDisbursed"])) * 100 == award.amount_disbursed_pence
        assert grant["awardDate"] == award.award_date.isoformat()
        assert grant["recipientOrganization"] == [
            {"id": council.org_id, "name": council.official_name}
        ]
        assert re.fullmatch(r"GB-(LAE|LAS|PLA|LANI)-[A-Z]{3}", council.org_id)
        assert grant["fundingOrganization"] == [{"id": "GB-GOR-D6", "name": "Dept"}]
        assert grant["grantProgramme"][0]["code"] == "small-tests"
        assert grant["grantProgramme"][0]["title"] == "Test Small"
        location = grant["beneficiaryLocation"][0]
        assert location["geoCode"] == council.gss_code
        assert grant["locationScope"] == "GLS050"
        assert grant["dataSource"] == f"http://localhost/pilots/{pilot.slug}"
        assert datetime.fromisoformat(grant["dateModified"]).tzinfo is not None
        for event in grant.get("plannedDates", []) + grant.get("actualDates", []):
            assert all(ISO_DATE.match(event[k]) for k in ("startDate", "endDate") if k in event)
    by_code = {g["beneficiaryLocation"][0]["geoCode"]: g for g in grants.values()}
    assert by_code["E09000020"]["beneficiaryLocation"][0]["geoCodeType"] == "LONB"
    assert by_code["E10000015"]["beneficiaryLocation"][0]["geoCodeType"] == "CTY"
    assert by_code["S12000049"]["beneficiaryLocation"][0]["geoCodeType"] == "CA"
    assert grants[f"360G-provingground-{awards[0].id}"]["amountAwarded"] == 12500.5
    assert grants[f"360G-provingground-{awards[1].id}"]["amountAwarded"] == 3000
    assert grants[f"360G-provingground-{awards[1].id}"]["plannedDates"] == [
        {"startDate": "2026-02-01", "endDate": "2026-05-31"}
    ]
    assert grants[f"360G-provingground-{awards[0].id}"]["actualDates"] == [
        {"startDate": "2026-01-01", "endDate": "2026-07-10"}
    ]


def test_grant_id_prefix_is_a_setting(client, app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "THREESIXTYGIVING_PREFIX", "360G-dlds")
    _, awards, _ = make_awards()
    ids = {g["id"] for g in fetch(client)["grants"]}
    assert ids == {f"360G-dlds-{a.id}" for a in awards}


def test_filters_narrow_the_grants(client):
    _, awards, _ = make_awards()
    package = fetch(client, "/export/360giving.json?status=withdrawn")
    assert [g["id"] for g in package["grants"]] == [f"360G-provingground-{awards[2].id}"]
