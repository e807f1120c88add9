"""/catalog.jsonld: the open data as a DCAT-AP catalogue that validates, expands offline as
JSON-LD, points at addresses that answer, and counts no draft."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator

from app.extensions import db
from tests.factories import create_council, create_pilot
from tests.jsonld_loader import DCAT_AP_CONTEXT, compact, expand, triples

SCHEMA = json.loads((Path(__file__).parent / "dcat_ap_catalogue.schema.json").read_text())
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@pytest.fixture
def pilots(app_ctx):
    """Public pilots from 1 March 2024 to 31 August 2026, and a draft outside both ends."""
    council = create_council(code="CAT", nice_name="Catford")
    create_pilot(
        council,
        status="concluded",
        verdict="proved",
        start_date=date(2024, 3, 1),
        planned_end_date=date(2024, 9, 30),
        actual_end_date=date(2024, 10, 15),
    )
    create_pilot(
        council, status="running", start_date=date(2025, 2, 1), planned_end_date=date(2026, 8, 31)
    )
    create_pilot(
        council, status="withdrawn", start_date=date(2024, 6, 1), planned_end_date=date(2024, 12, 1)
    )
    return create_pilot(
        council,
        slug="hidden-draft",
        title="Hidden draft",
        status="draft",
        start_date=date(2020, 1, 1),
        planned_end_date=date(2030, 12, 31),
    )


def fetch(client) -> dict:
    response = client.get("/catalog.jsonld")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    return response.get_json(force=True)


def test_the_catalogue_validates_against_the_dcat_ap_schema(client, pilots):
    catalogue = fetch(client)
    validator = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(catalogue)] == []
    assert len(catalogue["dataset"]) == 3


def test_the_schema_refuses_a_distribution_without_a_download_address(client, pilots):
    # The schema must be able to fail: take away one required property and it does.
    catalogue = fetch(client)
    del catalogue["dataset"][0]["distribution"][0]["downloadURL"]
    errors = list(Draft202012Validator(SCHEMA).iter_errors(catalogue))
    assert [e.message for e in errors] == ["'downloadURL' is a required property"]


def test_the_catalogue_expands_as_json_ld_without_the_network(client, pilots):
    (catalogue,) = expand(fetch(client))
    assert catalogue["@type"] == [DCAT + "Catalog"]
    assert catalogue[DCT + "license"] == [{"@id": OGL}]
    datasets = catalogue[DCAT + "dataset"]
    downloads = {
        d[DCAT + "downloadURL"][0]["@id"]: d[DCAT + "mediaType"][0]["@id"]
        for dataset in datasets
        for d in dataset[DCAT + "distribution"]
    }
    iana = "https://www.iana.org/assignments/media-types/"
    assert downloads == {
        "http://localhost/export/pilots.csv": iana + "text/csv",
        "http://localhost/feeds/pilots.atom": iana + "application/atom+xml",
        "http://localhost/export/awards.csv": iana + "text/csv",
        "http://localhost/export/360giving.json": iana + "application/json",
        "http://localhost/feeds/events.atom": iana + "application/atom+xml",
    }
    for dataset in datasets:
        assert dataset[DCT + "license"] == [{"@id": OGL}]
        assert dataset[DCT + "publisher"][0]["http://xmlns.com/foaf/0.1/name"][0]["@value"] == (
            "Proving Ground"
        )


def test_every_distribution_answers_with_its_media_type(client, pilots):
    for dataset in fetch(client)["dataset"]:
        for distribution in dataset["distribution"]:
            with client.get(urlsplit(distribution["downloadURL"]).path) as response:
                response.get_data()  # the exports stream: read to the end, then close
                assert response.status_code == 200, distribution["downloadURL"]
                assert distribution["mediaType"].endswith("/" + response.mimetype)


def test_temporal_coverage_spans_the_public_pilots_and_no_draft(client, pilots):
    # Earliest public date: the concluded pilot's start, 1 March 2024 (the draft's 2020 start does
    # not count). Latest: the running pilot's planned end, 31 August 2026, later than the
    # concluded one's actual end (15 October 2024) and the withdrawn one's (1 December 2024); the
    # draft's 2030 end does not count.
    body = client.get("/catalog.jsonld").get_data(as_text=True)
    assert "Hidden draft" not in body and "hidden-draft" not in body
    for dataset in json.loads(body)["dataset"]:
        assert dataset["temporal"] == {
            "@type": "dct:PeriodOfTime",
            "startDate": "2024-03-01",
            "endDate": "2026-08-31",
        }
        assert dataset["accrualPeriodicity"] == (
            "http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT"
        )


def test_a_registry_of_drafts_alone_claims_no_coverage(client, app_ctx):
    create_pilot(create_council(), status="draft")
    catalogue = fetch(client)
    assert all("temporal" not in dataset for dataset in catalogue["dataset"])
    assert "modified" not in catalogue


def test_addresses_are_on_the_public_base_url(client, pilots, app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "SERVER_BASE_URL", "https://registry.example")
    catalogue = fetch(client)
    assert catalogue["@id"] == "https://registry.example/catalog.jsonld"
    urls = [d["downloadURL"] for ds in catalogue["dataset"] for d in ds["distribution"]]
    assert urls and all(u.startswith("https://registry.example/") for u in urls)


def test_a_cached_copy_is_revalidated_with_its_etag(client, pilots):
    first = client.get("/catalog.jsonld")
    etag = first.headers["ETag"]
    again = client.get("/catalog.jsonld", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    pilots.status = "registered"  # the draft goes public: the coverage, and so the body, change
    db.session.commit()
    changed = client.get("/catalog.jsonld", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json(force=True)["dataset"][0]["temporal"]["startDate"] == "2020-01-01"


# W3C DCAT properties the catalogue carries that DCAT-AP leaves out. DCAT-AP's shapes are open,
# so a harvester validating against them passes the document and ignores these: each dataset's
# licence (DCAT-AP puts it on every distribution, which has it too) and the publisher's homepage.
BEYOND_DCAT_AP = {
    ("Dataset", DCT + "license"),
    ("Agent", "http://xmlns.com/foaf/0.1/homepage"),
}


def _outside_dcat_ap(compacted: dict) -> list[str]:
    """Properties DCAT-AP's context did not turn into one of its terms, less the known ones."""
    return sorted(
        {
            key
            for where, key in _terms(compacted)
            if ":" in key and (where.rsplit("/", 1)[1], key) not in BEYOND_DCAT_AP
        }
    )


def _terms(node: object, path: str = "") -> list[tuple[str, str]]:
    """(where, key) for every property of every node in a compacted document."""
    found: list[tuple[str, str]] = []
    if isinstance(node, list):
        for item in node:
            found += _terms(item, path)
    elif isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@"):
                found.append((f"{path}/{node.get('@type', '')}", key))
                found += _terms(value, f"{path}/{key}")
    return found


def test_the_catalogue_speaks_only_dcat_ap(client, pilots):
    # Compacted with DCAT-AP 3.0.1's own JSON-LD context, every property and class of the
    # catalogue becomes one of DCAT-AP's terms: a property DCAT-AP did not define for its class
    # would stay a full address. Expanding that again gives the same statements, so nothing
    # was lost or renamed on the way.
    document = fetch(client)
    in_dcat_ap = compact(document, DCAT_AP_CONTEXT)
    assert _outside_dcat_ap(in_dcat_ap) == []
    assert in_dcat_ap["@type"] == "Catalogue"
    assert {d["@type"] for d in in_dcat_ap["dataset"]} == {"Dataset"}
    pilots_dataset = in_dcat_ap["dataset"][0]
    assert pilots_dataset["frequency"].endswith("/frequency/UPDATE_CONT")
    assert pilots_dataset["temporalCoverage"][0]["@type"] == "PeriodOfTime"
    assert {d["@type"] for d in pilots_dataset["datasetDistribution"]} == {"Distribution"}
    assert triples(in_dcat_ap) == triples(document)


def test_a_property_outside_dcat_ap_would_be_caught(client, pilots):
    document = fetch(client)
    document["@context"] = {**document["@context"], "colour": "http://example.org/colour"}
    document["dataset"][0]["colour"] = "blue"
    assert _outside_dcat_ap(compact(document, DCAT_AP_CONTEXT)) == ["http://example.org/colour"]
