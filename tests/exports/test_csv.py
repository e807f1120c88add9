"""/export/pilots.csv and /export/awards.csv: public records only, read back unchanged."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from app.extensions import db
from tests.factories import create_award, create_council, create_pilot, create_programme


def read(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert response.mimetype_params.get("charset") == "utf-8"
    assert response.is_streamed
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8"))))


def test_pilots_csv_has_every_public_pilot_and_no_draft(client):
    lead = create_council(code="ABC", nice_name="Åbercwm")
    partner = create_council(code="DEF")
    tricky = create_pilot(
        lead,
        title='Webchat, "with photos" – and Welsh: Ŵ',
        summary="Line one,\nline two; with a semicolon",
        partners=[partner],
        pillars=["inclusion", "business-case"],
        tags=["webchat", "repairs"],
        status="concluded",
        verdict="disproved",
        planned_cost_pence=12_345_67,
        actual_end_date=date(2026, 7, 1),
    )
    create_pilot(lead, status="withdrawn", planned_cost_pence=None)
    create_pilot(lead, title="Private draft", status="draft")
    rows = read(client, "/export/pilots.csv")
    assert len(rows) == 2
    assert "Private draft" not in {r["title"] for r in rows}
    row = next(r for r in rows if r["slug"] == tricky.slug)
    assert row["title"] == tricky.title
    assert row["summary"] == tricky.summary
    assert row["lead_council"] == "ABC" and row["lead_council_name"] == "Åbercwm"
    assert row["partner_councils"] == "DEF"
    assert row["pillars"] == "business-case;inclusion"
    assert row["tags"] == "repairs;webchat"
    assert (row["status"], row["verdict"]) == ("concluded", "disproved")
    assert row["planned_cost_gbp"] == "12345.67" and row["actual_cost_gbp"] == ""
    assert row["start_date"] == "2026-01-01" and row["actual_end_date"] == "2026-07-01"
    assert row["registered_at"] == tricky.registered_at.isoformat()
    assert row["url"] == f"http://localhost/pilots/{tricky.slug}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=running", {"run-1"}),
        ("verdict=proved", {"proved-1"}),
        ("pillar=inclusion", {"run-1"}),
        ("council=zza&verdict=proved", {"proved-1"}),  # as a partner
        ("council=ZZA&status=running", {"run-1"}),
        ("q=gritting", {"run-1"}),  # the /search parameters too
        ("q=gritting&status=concluded", set()),
        ("region=Wales", {"proved-1"}),
        ("year=2025", {"proved-1"}),
        ("cost=under-10k", {"run-1"}),
        ("q=zzzzqqq", set()),
    ],
)
def test_pilots_csv_filters_like_the_pilot_list(client, query, expected):
    a = create_council(code="ZZA")
    b = create_council(code="ZZB", nation="Wales", region="Wales")
    create_pilot(a, slug="run-1", status="running", pillars=["inclusion"], title="Gritting routes",
                 planned_cost_pence=5_000_00)  # fmt: skip
    create_pilot(
        b, slug="proved-1", status="concluded", verdict="proved", partners=[a],
        start_date=date(2025, 3, 1), planned_cost_pence=80_000_00,
    )  # fmt: skip
    create_pilot(b, slug="draft-1", status="draft", pillars=["inclusion"])
    assert {r["slug"] for r in read(client, f"/export/pilots.csv?{query}")} == expected


@pytest.mark.parametrize(
    "query",
    ["status=draft", "verdict=maybe", "pillar=nope", "council=QQQ", "programme=none", "cost=lots"],
)
def test_bad_export_filters_are_400_with_a_reason(client, query):
    for url in ("/export/pilots.csv", "/export/awards.csv", "/export/360giving.json"):
        response = client.get(f"{url}?{query}")
        if "programme" in query and url.endswith("pilots.csv"):
            continue  # the pilots export has no programme filter
        assert response.status_code == 400, url
        assert "There is no" in response.get_data(as_text=True)


def test_awards_csv_exact_amounts_iso_dates_and_no_draft(client):
    programme = create_programme(slug="fund", name="Fund, the first", round="R1")
    lead = create_council(code="LDA", official_name="Leadshire Council")
    partner = create_council(code="PTA")
    pilot = create_pilot(lead, partners=[partner], status="running")
    award = create_award(
        programme,
        pilot,
        recipient=partner,
        reference="F-1",
        amount_awarded_pence=1_234_567_89,
        amount_disbursed_pence=1,
        award_date=date(2025, 2, 28),
        planned_start_date=date(2025, 4, 1),
    )
    create_award(programme, create_pilot(lead, status="draft"), reference="SECRET")
    rows = read(client, "/export/awards.csv")
    assert [r["reference"] for r in rows] == ["F-1"]
    row = rows[0]
    assert row["award_id"] == str(award.id)
    assert row["grant_id"] == f"360G-provingground-{award.id}"
    assert row["programme"] == "fund" and row["programme_name"] == "Fund, the first"
    assert row["recipient_council"] == "PTA" and row["recipient_org_id"] == "GB-LAE-PTA"
    assert row["amount_awarded_gbp"] == "1234567.89"
    assert row["amount_disbursed_gbp"] == "0.01"
    assert row["award_date"] == "2025-02-28"
    assert row["planned_start_date"] == "2025-04-01" and row["planned_end_date"] == ""
    assert row["pilot_status"] == "running" and row["pilot_verdict"] == ""
    assert read(client, "/export/awards.csv?status=concluded") == []
    assert len(read(client, "/export/awards.csv?programme=fund&council=lda")) == 1


def test_exports_stream_in_batches_beyond_one_batch(client, monkeypatch):
    from app.exports import service

    monkeypatch.setattr(service, "BATCH_SIZE", 3)
    council = create_council()
    programme = create_programme()
    for n in range(7):
        create_award(programme, create_pilot(council, slug=f"p-{n}"), reference=f"R-{n}")
    db.session.commit()
    assert [r["slug"] for r in read(client, "/export/pilots.csv")] == [f"p-{n}" for n in range(7)]
    assert len(read(client, "/export/awards.csv")) == 7
