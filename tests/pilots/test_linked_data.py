"""A public pilot's page describes it for machines: schema.org JSON-LD that expands as JSON-LD
(offline) and names the pilot, and Open Graph tags for a shared link's card. Drafts get none."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

from tests.factories import create_pilot, create_user
from tests.jsonld_loader import expand

SCHEMA = "http://schema.org/"


class PageHead(HTMLParser):
    """Each script element's type and text, and the meta tags, as a browser's parser splits them
    (a script's text runs to the first `</script`, whatever it holds)."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[str, str]] = []
        self.meta: dict[str, str] = {}
        self._script_type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self._script_type = values.get("type") or ""
            self.scripts.append((self._script_type, ""))
        elif tag == "meta" and (values.get("property") or values.get("name")):
            self.meta[values.get("property") or values["name"] or ""] = values["content"] or ""

    def handle_data(self, data: str) -> None:
        if self._script_type is not None:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_type = None


def read_page(client, url: str) -> PageHead:
    response = client.get(url)
    assert response.status_code == 200
    page = PageHead()
    page.feed(response.get_data(as_text=True))
    return page


def json_ld(page: PageHead) -> list[str]:
    return [text for kind, text in page.scripts if kind == "application/ld+json"]


def test_a_public_pilot_is_described_as_a_project(client, council):
    pilot = create_pilot(
        council,
        title="Webchat for repairs",
        summary="Tenants report repairs by webchat.",
        location="Alphaton town centre",
        latitude=Decimal("53.744000"),
        longitude=Decimal("-0.332000"),
        start_date=date(2026, 2, 1),
        planned_end_date=date(2026, 7, 31),
        status="running",
    )
    (text,) = json_ld(read_page(client, f"/pilots/{pilot.slug}"))
    (project,) = expand(json.loads(text))
    assert project["@type"] == [SCHEMA + "Project"]
    assert project[SCHEMA + "name"] == [{"@value": "Webchat for repairs"}]
    assert project[SCHEMA + "url"] == [{"@id": f"http://localhost/pilots/{pilot.slug}"}]
    # The council fixture is AAA, Alphaton: its page is /councils/aaa.
    (sponsor,) = project[SCHEMA + "sponsor"]
    assert sponsor[SCHEMA + "name"] == [{"@value": "Alphaton"}]
    assert sponsor[SCHEMA + "url"] == [{"@id": "http://localhost/councils/aaa"}]
    assert project[SCHEMA + "startDate"] == [{"@type": SCHEMA + "Date", "@value": "2026-02-01"}]
    # Still running: its end is the planned one.
    assert project[SCHEMA + "endDate"] == [{"@type": SCHEMA + "Date", "@value": "2026-07-31"}]
    (place,) = project[SCHEMA + "location"]
    assert place[SCHEMA + "name"] == [{"@value": "Alphaton town centre"}]
    (geo,) = place[SCHEMA + "geo"]
    assert geo[SCHEMA + "latitude"] == [{"@value": 53.744}]
    assert geo[SCHEMA + "longitude"] == [{"@value": -0.332}]


def test_a_concluded_pilot_ends_on_its_actual_end_and_has_no_geo_without_coordinates(
    client, council
):
    pilot = create_pilot(
        council,
        location="Online",
        status="concluded",
        verdict="proved",
        planned_end_date=date(2026, 6, 30),
        actual_end_date=date(2026, 5, 15),
    )
    (text,) = json_ld(read_page(client, f"/pilots/{pilot.slug}"))
    data = json.loads(text)
    assert data["endDate"] == "2026-05-15"
    assert data["location"] == {"@type": "Place", "name": "Online"}
    assert "funder" not in data  # no award, so no funder


def test_a_title_cannot_close_the_script_element(client, council):
    title = "</script><script>alert(1)</script>"
    pilot = create_pilot(council, title=title, summary="<!-- & -->")
    html = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    page = PageHead()
    page.feed(html)
    assert not any(
        "alert(1)" in text for kind, text in page.scripts if kind != "application/ld+json"
    )
    (text,) = json_ld(page)
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert (data["name"], data["description"]) == (title, "<!-- & -->")


def test_a_draft_has_no_json_ld(client, council, sign_in):
    draft = create_pilot(council, title="Draft idea", status="draft")
    sign_in(create_user("editor", council))
    page = read_page(client, f"/pilots/{draft.slug}")
    assert json_ld(page) == []
    assert page.meta["og:type"] == "website"


def test_a_pilot_page_has_an_open_graph_card(client, council):
    pilot = create_pilot(council, title="Webchat for repairs", summary="Tenants  report\nrepairs.")
    meta = read_page(client, f"/pilots/{pilot.slug}").meta
    assert meta["og:title"] == "Webchat for repairs"
    assert meta["og:description"] == meta["description"] == "Tenants report repairs."
    assert meta["og:url"] == f"http://localhost/pilots/{pilot.slug}"
    assert meta["og:type"] == "article"
    assert meta["og:site_name"] == "Proving Ground"


def test_a_long_summary_is_cut_at_a_word(client, council):
    # 60 five-letter words and spaces: 359 characters, over the 300 allowed. Cut to 299, then back
    # to the last space: 49 whole words (49 × 6 − 1 = 293 characters), then an ellipsis.
    pilot = create_pilot(council, summary=" ".join(["words"] * 60))
    meta = read_page(client, f"/pilots/{pilot.slug}").meta
    assert meta["og:description"] == " ".join(["words"] * 49) + "…"


def test_other_pages_have_a_generic_card(client, council, monkeypatch, app_ctx):
    monkeypatch.setitem(app_ctx.config, "SERVER_BASE_URL", "https://registry.example")
    page = read_page(client, "/pillars?x=1")
    assert page.meta["og:title"] == "The six pillars of digital innovation"  # its h1
    assert page.meta["og:type"] == "website"
    assert page.meta["og:url"] == "https://registry.example/pillars?x=1"
    assert page.meta["og:description"].startswith("A registry of council digital pilots")
    assert json_ld(page) == []
