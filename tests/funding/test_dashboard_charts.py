"""Each chart on the dashboard is accessible SVG and shows exactly the numbers of its table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from app.common.figures.charts import BAR_AREA
from app.content.demo import load_demo
from tests.factories import create_user
from tests.funding.test_dashboard import build_scenario

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = ("by-status", "by-verdict", "money-by-status", "money-by-verdict", "prove-rate-by-pillar")


def svg_for(page: str, key: str) -> ET.Element:
    match = re.search(rf'<svg class="app-chart"[^>]*data-chart="{key}".*?</svg>', page, re.S)
    assert match, f"no chart {key}"
    return ET.fromstring(match.group(0))  # noqa: S314 - our own page, not untrusted input


def table_for(page: str, key: str) -> tuple[list[str], list[list[str]]]:
    match = re.search(rf'<table class="govuk-table" data-table="{key}">.*?</table>', page, re.S)
    assert match, f"no table {key}"
    table = ET.fromstring(match.group(0))  # noqa: S314 - our own page
    headings = [
        "".join(th.itertext()).strip() for th in table.iter("th") if th.get("scope") == "col"
    ]
    rows = []
    for tr in table.find("tbody"):
        if "app-table__total" in (tr.get("class") or ""):
            continue
        rows.append(["".join(cell.itertext()).strip() for cell in tr])
    return headings, rows


def chart_rows(svg: ET.Element) -> list[tuple[str, list[tuple[str, int, float, str]]]]:
    """(label, [(series, value, bar width, value text)]) for each row of the chart."""
    rows = []
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") != "app-chart__row":
            continue
        label = next(t for t in group.iter(f"{SVG}text") if t.get("class") == "app-chart__label")
        bars = [r for r in group.iter(f"{SVG}rect") if r.get("class") == "app-chart__bar"]
        texts = [t for t in group.iter(f"{SVG}text") if t.get("class") == "app-chart__value"]
        rows.append(
            (
                label.text or "",
                [
                    (b.get("data-series"), int(b.get("data-value")), float(b.get("width")), t.text)
                    for b, t in zip(bars, texts, strict=True)
                ],
            )
        )
    return rows


def assert_charts_match_tables(page: str) -> None:
    for key in CHARTS:
        svg = svg_for(page, key)
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text
        assert desc is not None and desc.text
        headings, table_rows = table_for(page, key)
        plotted = chart_rows(svg)
        assert [label for label, _ in plotted] == [row[0] for row in table_rows], key
        largest = max(value for _, bars in plotted for _, value, _, _ in bars) or 1
        for (label, bars), row in zip(plotted, table_rows, strict=True):
            for series, value, width, text in bars:
                cell = row[headings.index(series)]
                # The figure printed on the bar is the table's, named by its series when
                # there are two, so no bar relies on its colour to be understood.
                assert text in (cell, f"{series}: {cell}"), (key, label, text, cell)
                if len(bars) > 1:
                    assert text == f"{series}: {cell}"
                assert width == pytest.approx(BAR_AREA * value / largest, abs=0.1)
                assert label in desc.text and text in desc.text


def test_every_chart_shows_the_numbers_in_its_table(client, sign_in):
    build_scenario()
    sign_in(create_user("funder"))
    for query in ("", "?programme=fund-a", "?year=2025"):
        response = client.get(f"/funding/dashboard{query}")
        assert response.status_code == 200
        assert_charts_match_tables(response.get_data(as_text=True))


def test_demo_dashboard_charts_match_their_tables_and_read_without_javascript(client, sign_in):
    load_demo()
    sign_in(create_user("admin"))
    page = client.get("/funding/dashboard").get_data(as_text=True)
    assert_charts_match_tables(page)
    # Everything is in the HTML the server sends: no script builds the figures.
    assert "Overdue outcome reports" in page
    assert "Webchat for reporting estate repairs" in page  # the demo's overdue trial
    overdue_table = page.split("Overdue outcome reports")[1].split("Download")[0]
    assert "Fill-level sensors on communal bins" not in overdue_table  # its report was extended
    for key in CHARTS:
        assert f'href="/funding/dashboard.csv?table={key}"' in page
