"""/map: a mark for every council in a public pilot, sized by count, coloured by what its
concluded pilots proved, under /search's filters; and the table of the same figures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from app.maps.drawing import COLOURS
from tests.factories import create_council, create_outcome, create_pilot


@dataclass(frozen=True)
class Mark:
    href: str
    label: str
    r: float
    fill: str


MARK = re.compile(
    r'<a href="([^"]+)">\s*<title>([^<]+)</title>\s*<circle cx="[\d.]+" cy="[\d.]+" '
    r'r="([\d.]+)" fill="(#[0-9a-f]{6})"'
)


def marks(page: str) -> dict[str, Mark]:
    """The map's circles by the council name their label starts with."""
    found = [Mark(h.replace("&amp;", "&"), t, float(r), f) for h, t, r, f in MARK.findall(page)]
    return {m.label.split(":")[0]: m for m in found}


@pytest.fixture
def registry(app_ctx):
    """Kentwell (London) leads a proved pilot and a running one and partners in Otherby's
    disproved one; Otherby is in Manchester; Farland has no position; a draft counts nowhere."""
    kentwell = create_council(
        code="KWL", nice_name="Kentwell", region="London",
        latitude=Decimal("51.5"), longitude=Decimal("-0.12"),
    )  # fmt: skip
    otherby = create_council(
        code="OTB", nice_name="Otherby", region="North West",
        latitude=Decimal("53.48"), longitude=Decimal("-2.24"),
    )  # fmt: skip
    farland = create_council(code="FAR", nice_name="Farland", latitude=None, longitude=None)
    proved = create_pilot(kentwell, title="Bins chatbot", start_date=date(2024, 2, 1))
    create_outcome(proved, date(2024, 9, 1), "proved")
    create_pilot(
        kentwell, title="Library sensors", status="running", start_date=date(2025, 3, 1),
        pillars=["inclusion"], latitude=Decimal("51.52"), longitude=Decimal("-0.10"),
    )  # fmt: skip
    disproved = create_pilot(otherby, title="Parking app", partners=[kentwell])
    create_outcome(disproved, date(2026, 5, 1), "disproved")
    create_pilot(farland, title="Farland forms")
    create_pilot(kentwell, title="Secret draft", status="draft")
    return kentwell


def test_every_council_in_a_public_pilot_has_a_linked_mark_sized_by_its_count(client, registry):
    page = client.get("/map").get_data(as_text=True)
    found = marks(page)
    assert set(found) == {"Kentwell", "Otherby"}  # Farland has no position to put a mark at
    assert found["Kentwell"].r > found["Otherby"].r  # three pilots against one
    assert found["Kentwell"].href == "/search?council=kwl"
    assert "Kentwell: 3 pilots (led 2, partner in 1)" in found["Kentwell"].label
    assert "concluded: 1 proved, 1 disproved, 0 inconclusive" in found["Kentwell"].label
    assert "Secret draft" not in page
    assert "4 pilots, 3 councils" in page


def test_the_colour_says_what_a_councils_concluded_pilots_proved(client, registry):
    found = marks(client.get("/map").get_data(as_text=True))
    assert found["Otherby"].fill == COLOURS["disproved"]
    assert found["Kentwell"].fill == COLOURS["mixed"]  # one proved, one disproved
    proved_only = marks(client.get("/map?verdict=proved").get_data(as_text=True))
    assert set(proved_only) == {"Kentwell"}
    assert proved_only["Kentwell"].fill == COLOURS["proved"]
    assert proved_only["Kentwell"].href == "/search?council=kwl&verdict=proved"


def test_the_table_beside_the_map_holds_the_same_figures(client, registry):
    page = client.get("/map").get_data(as_text=True)
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.S)
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in rows[1:]]
    table = {re.sub(r"<[^>]+>", "", c[0]).strip(): [c.strip() for c in c[1:]] for c in cells}
    assert table == {
        "Kentwell": ["London", "2", "1", "1", "1", "0"],
        "Farland": ["South East", "1", "0", "0", "0", "0"],
        "Otherby": ["North West", "1", "0", "0", "1", "0"],
    }
    assert "1 council has no position in the register" in page


def test_a_pilot_with_its_own_position_is_marked_there(client, registry):
    page = client.get("/map").get_data(as_text=True)
    assert re.search(
        r'<a href="/pilots/test-pilot-\d+">\s*<title>Library sensors \(Kentwell\)', page
    )
    assert "latitude 51.52, longitude -0.1" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("pillar=nope", "There is no pillar"),
        ("year=soon", "The start year must be a year like 2025."),
        ("verdict=maybe", "The verdict must be proved, disproved or inconclusive."),
    ],
)
def test_a_bad_filter_says_what_to_change(client, registry, query, message):
    response = client.get(f"/map?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_filters_narrow_the_map_as_they_narrow_search(client, registry):
    found = marks(client.get("/map?pillar=inclusion&region=London").get_data(as_text=True))
    assert set(found) == {"Kentwell"}
    assert "Kentwell: 1 pilot" in found["Kentwell"].label
    assert marks(client.get("/map?region=Scotland").get_data(as_text=True)) == {}


def test_the_map_is_an_svg_drawn_on_the_server_with_a_title_and_description(client, registry):
    page = client.get("/map").get_data(as_text=True)
    svg = page[page.index('<svg class="app-chart"') :]
    assert 'aria-labelledby="uk-map-title uk-map-desc"' in svg
    assert '<title id="uk-map-title">' in svg and '<desc id="uk-map-desc">' in svg
    land = re.search(r'<path d="(M[^"]+)"', svg).group(1)
    assert land.count("M") > 10  # Great Britain, Ireland's north and the islands
    assert "<script" not in page[page.index("<main") : page.index("</main>")]


def test_a_councils_page_maps_the_councils_it_worked_with_and_gives_its_widget_code(
    client, registry
):
    page = client.get("/councils/kwl").get_data(as_text=True)
    found = marks(page)
    assert set(found) == {"Kentwell", "Otherby"}
    assert found["Kentwell"].fill == COLOURS["itself"]
    assert found["Otherby"].fill == COLOURS["partner"]
    assert found["Otherby"].href == "/councils/otb"
    assert "Otherby</a>: 1 pilot together" in page
    assert "&lt;iframe src=&#34;http://localhost/councils/kwl/embed&#34;" in page
    lonely = client.get("/councils/far").get_data(as_text=True)
    assert "Farland has not run a public pilot with another council yet." in lonely


def test_the_unfiltered_map_reads_kept_counts_that_agree_with_counting(app_ctx):
    """Varied pilots (every status and verdict, partners, leads listed among their own
    partners), then edits: the map without a filter, read from the kept counts, holds what the
    GROUP BYs of a filtered map count over every public pilot."""
    import random

    from sqlalchemy import select

    from app.extensions import db
    from app.maps import service
    from app.pilots.models import PUBLIC_STATUSES, STATUSES, VERDICTS, Pilot

    rng = random.Random(18)
    councils = [create_council(code=f"C{i}", nice_name=f"Council {i}") for i in range(6)]
    for _ in range(40):
        status = rng.choice(STATUSES)
        create_pilot(
            rng.choice(councils),
            status=status,
            verdict=rng.choice(VERDICTS) if status == "concluded" else None,
            partners=rng.sample(councils, rng.randrange(4)),
        )

    def figures(found):
        return {(c.code, c.led, c.partnered, tuple(sorted(c.verdicts.items()))) for c in found}

    for _ in range(3):
        found = service.tallied(Pilot.status.in_(PUBLIC_STATUSES))
        by_id = {c.id: c for c in councils}
        counts: dict[int, service.CouncilCount] = {}
        for role, council_id, reached, n in found:
            count = service._count(by_id[council_id], counts)
            setattr(count, role, getattr(count, role) + n)
            if reached:
                count.verdicts[reached] += n
        counted = service._ordered(counts.values())
        shown = service.pilot_map({})
        assert figures(shown.councils) == figures(counted) and len(counted) > 3
        assert shown.pilot_count == db.session.scalar(
            select(db.func.count()).where(Pilot.status.in_(PUBLIC_STATUSES))
        )
        for pilot in rng.sample(list(db.session.scalars(select(Pilot))), 8):
            pilot.status = rng.choice(STATUSES)
            pilot.verdict = rng.choice(VERDICTS) if pilot.status == "concluded" else None
            pilot.partners = rng.sample(councils, rng.randrange(3))
            pilot.lead_council = rng.choice(councils)
        db.session.commit()
