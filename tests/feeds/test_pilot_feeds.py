from __future__ import annotations

from datetime import timedelta

import pytest

from app.common.db_types import utcnow
from app.pilots import service
from tests.factories import create_council, create_pilot
from tests.feeds.conftest import ALL_KINDS, tag_id


@pytest.fixture
def herts(app_ctx):
    return create_council(
        code="HRT", nice_name="Hertfordshire", official_name="Hertfordshire County Council"
    )


def _aged(days: int) -> dict:
    return {"updated_at": utcnow() - timedelta(days=days)}


@pytest.fixture
def registry(herts):
    """Pilots of two councils, edited on different days, and a draft that must never show."""
    kent = create_council(code="KEN", nice_name="Kent", official_name="Kent County Council")
    oldest = create_pilot(herts, title="Herts oldest", pillars=["inclusion"], **_aged(3))
    partnered = create_pilot(kent, title="Kent with Herts", partners=[herts], **_aged(2))
    proved = create_pilot(
        kent, title="Kent proved", status="concluded", verdict="proved",
        summary="Calls fell by a quarter", planned_cost_pence=1_250_000, **_aged(1),
    )  # fmt: skip
    create_pilot(herts, title="Secret Herts draft", status="draft")
    return {"herts": herts, "kent": kent, "oldest": oldest, "partnered": partnered,
            "proved": proved}  # fmt: skip


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_all_pilots_feed_lists_public_pilots_newest_change_first(fetch, registry, kind):
    feed = fetch(f"/feeds/pilots.{kind}")
    assert feed.feed.title == "Pilots — Proving Ground"
    assert [e.id for e in feed.entries] == [
        tag_id(registry["proved"]), tag_id(registry["partnered"]), tag_id(registry["oldest"])
    ]  # fmt: skip
    assert "Secret Herts draft" not in str(feed)
    entry = feed.entries[0]
    assert entry.title == "Kent proved"
    assert entry.link == f"http://localhost/pilots/{registry['proved'].slug}"
    assert entry.summary == "Concluded: proved — Calls fell by a quarter"
    assert "£12,500" in entry.content[0].value
    assert "Kent County Council" not in entry.content[0].value  # the council by its usual name
    assert 'href="http://localhost/councils/ken"' in entry.content[0].value
    # Atom has a term and a label; RSS categories carry the pillar's name.
    expected = "developing-solutions" if kind == "atom" else "Developing solutions"
    assert [t.term for t in entry.tags] == [expected]
    assert entry.published_parsed is not None


def test_atom_entries_have_author_and_utc_times(fetch, registry):
    entry = fetch("/feeds/pilots.atom").entries[0]
    assert entry.author == "Kent"
    assert entry.updated.endswith("+00:00")
    assert entry.published.endswith("+00:00")
    assert entry.tags[0].label == "Developing solutions"


def test_rss_items_name_the_council(fetch, registry):
    entry = fetch("/feeds/pilots.rss").entries[0]
    assert entry.author == "Kent"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_council_feed_has_pilots_it_leads_or_partners_in(fetch, registry, kind):
    feed = fetch(f"/feeds/councils/hrt.{kind}")
    assert feed.feed.title == "Pilots in Hertfordshire County Council — Proving Ground"
    assert feed.feed.link == "http://localhost/councils/hrt"
    assert [e.title for e in feed.entries] == ["Kent with Herts", "Herts oldest"]


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_pillar_feed_has_only_that_pillars_pilots(fetch, registry, kind):
    feed = fetch(f"/feeds/pillars/inclusion.{kind}")
    assert feed.feed.title == "Pilots under Inclusion — Proving Ground"
    assert [e.title for e in feed.entries] == ["Herts oldest"]


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_search_feed_takes_the_search_parameters(fetch, registry, kind):
    feed = fetch(f"/feeds/search.{kind}?q=KENT&council=hrt")
    assert [e.title for e in feed.entries] == ["Kent with Herts"]
    assert "“KENT”" in feed.feed.title and "Hertfordshire County Council" in feed.feed.title
    assert feed.feed.link == "http://localhost/search?council=hrt&q=KENT"
    assert [e.title for e in fetch(f"/feeds/search.{kind}?verdict=proved").entries] == [
        "Kent proved"
    ]
    assert [e.title for e in fetch(f"/feeds/search.{kind}?q=100%25").entries] == []
    everything = fetch(f"/feeds/search.{kind}?region=South+East&sort=newest&page=3")
    assert len(everything.entries) == 3  # a feed always starts at the newest: no pages
    assert fetch(f"/feeds/search.{kind}?region=Wales").entries == []


def test_search_feed_survives_markup_in_the_query(fetch, registry):
    for kind in ALL_KINDS:
        feed = fetch(f"/feeds/search.{kind}?q=Kent%20proved&status=concluded")
        assert [e.title for e in feed.entries] == ["Kent proved"]
        feed = fetch(f"/feeds/search.{kind}?q=<script>alert(1)</script>")
        assert feed.entries == [] and "<script>" in feed.feed.title  # as text, escaped in XML


def test_control_characters_in_a_feed_address_are_refused_in_plain_text(client, registry):
    for url in (
        "/feeds/search.atom?q=%00Kent%01%20proved", "/feeds/councils/%00.atom",
        "/feeds/pilots/%00/events.atom", "/feeds/pillars/%00.rss",
    ):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.mimetype == "text/plain", url
        assert "control character" in response.get_data(as_text=True), url


def test_search_feed_refuses_what_search_would(client, registry):
    for query in ("pillar=nope", "status=draft", "verdict=maybe", "council=zzz", "q=" + "x" * 201):
        response = client.get(f"/feeds/search.atom?{query}")
        assert response.status_code == 400, query
        assert "Proving Ground" not in response.get_data(as_text=True)


def test_feed_holds_the_newest_fifty(fetch, herts):
    pilots = [create_pilot(herts, **_aged(100 - n)) for n in range(55)]
    feed = fetch("/feeds/pilots.atom")
    assert [e.id for e in feed.entries] == [tag_id(p) for p in reversed(pilots)][:50]


def test_entry_ids_survive_an_edit(fetch, registry):
    pilot = registry["oldest"]
    before = {e.title: e.id for e in fetch("/feeds/pilots.atom").entries}
    data = service.PilotData(
        title="Herts renamed", hypothesis=pilot.hypothesis, lead_council=pilot.lead_council,
        pillars=["inclusion", "business-case"], summary="Now with a summary",
    )  # fmt: skip
    service.update_pilot(pilot, data, None)
    for kind in ALL_KINDS:
        after = fetch(f"/feeds/pilots.{kind}").entries
        assert after[0].title == "Herts renamed"
        assert after[0].id == before["Herts oldest"] == tag_id(pilot)
        assert {e.id for e in after} == set(before.values())


def test_unknown_things_are_404_not_empty_feeds(client, registry):
    draft = create_pilot(registry["herts"], status="draft")
    for url in (
        "/feeds/councils/zzz.atom", "/feeds/councils/zzz.rss", "/feeds/pillars/nope.atom",
        "/feeds/programmes/any-programme.atom", "/feeds/programmes/any-programme.rss",
        "/feeds/pilots/no-such-pilot/events.atom", f"/feeds/pilots/{draft.slug}/events.rss",
        "/feeds/pilots.json", "/feeds/councils/hrt.xml",
    ):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Proving Ground" not in response.get_data(as_text=True), url


def test_an_empty_registry_gives_empty_but_valid_feeds(fetch, herts):
    for kind in ALL_KINDS:
        assert fetch(f"/feeds/pilots.{kind}").entries == []
        assert fetch(f"/feeds/councils/hrt.{kind}").entries == []
        assert fetch(f"/feeds/events.{kind}").entries == []


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_programme_feed_lists_its_funded_public_pilots(fetch, registry, kind):
    from tests.factories import create_award, create_programme

    programme = create_programme(name="Test Small, Learn Fast")
    create_award(programme, registry["proved"])
    create_award(programme, registry["oldest"])
    feed = fetch(f"/feeds/programmes/{programme.slug}.{kind}")
    assert feed.feed.title == "Pilots funded by Test Small, Learn Fast — Proving Ground"
    assert [e.id for e in feed.entries] == [tag_id(registry["proved"]), tag_id(registry["oldest"])]
    assert "Kent with Herts" not in str(feed)
