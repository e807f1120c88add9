"""The exports opened in a real spreadsheet: LibreOffice Calc, headless, reads each CSV with its
default import settings (which run formulas) and saves it as a flat OpenDocument sheet, which
says of every cell whether it holds a formula and whether it is a number or text.

Needs Debian's libreoffice-calc (scripts/ensure-system-packages.sh installs it).
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.common.figures.tables import Column, Table, table_csv_lines
from tests.exports.test_formula_cells import COMMAND, HYPERLINK, hostile_pilot
from tests.factories import create_award, create_programme

pytestmark = pytest.mark.sqlite_only  # what a spreadsheet makes of the file is not the database's

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass(frozen=True)
class Cell:
    text: str
    kind: str  # "string", "float", ...
    formula: str | None


def open_in_libreoffice(csv_text: str, folder: Path) -> list[list[Cell]]:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: run scripts/ensure-system-packages.sh"
    source = folder / "export.csv"
    source.write_text(csv_text, encoding="utf-8")
    subprocess.run(
        [
            soffice, "--headless", "--norestore",
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--infilter=CSV:44,34,76,1", "--convert-to", "fods", "--outdir", str(folder),
            str(source),
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    sheet = ET.parse(folder / "export.fods").getroot()  # noqa: S314 (LibreOffice wrote it here)
    rows = []
    for row in sheet.iter(f"{TABLE}table-row"):
        cells = []
        for cell in row.iter(f"{TABLE}table-cell"):
            repeat = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
            text = "\n".join("".join(p.itertext()) for p in cell.iter(f"{TEXT}p"))
            found = Cell(text, cell.get(f"{OFFICE}value-type", ""), cell.get(f"{TABLE}formula"))
            cells += [found] * min(repeat, 50)
        while cells and cells[-1] == Cell("", "", None):
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def by_header(rows: list[list[Cell]]) -> list[dict[str, Cell]]:
    header = [cell.text for cell in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def test_libreoffice_runs_no_formula_from_the_exports(client, tmp_path):
    pilot = hostile_pilot()
    create_award(create_programme(name="=1+1"), pilot, reference="-2+3")
    for url in ("/export/pilots.csv", "/export/awards.csv"):
        rows = open_in_libreoffice(client.get(url).get_data(as_text=True), tmp_path)
        assert [cell for row in rows for cell in row if cell.formula] == [], url
    pilots = by_header(
        open_in_libreoffice(client.get("/export/pilots.csv").get_data(as_text=True), tmp_path)
    )
    [row] = pilots
    assert row["title"].text in (HYPERLINK, "'" + HYPERLINK)
    assert row["location"].text in (COMMAND, "'" + COMMAND)
    assert row["summary"].text in ("-2+3", "'-2+3")  # not 1
    assert row["tags"].text in ("-2+3;@sum(1+1)", "'-2+3;@sum(1+1)")
    assert (row["planned_cost_gbp"].kind, row["planned_cost_gbp"].text) == ("float", "1000")


def test_libreoffice_reads_negative_money_as_a_number(tmp_path):
    table = Table(
        key="t",
        caption="T",
        columns=[Column("name", "Name"), Column("change", "Change", "money")],
        rows=[["-2+3", -12_50]],
    )
    [_, row] = open_in_libreoffice("".join(table_csv_lines(table)), tmp_path)
    assert row[0].formula is None and row[0].text in ("-2+3", "'-2+3")
    assert (row[1].kind, row[1].text) == ("float", "-12.5")
