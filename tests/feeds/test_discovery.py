"""Every listing page names its feeds in <head> and offers a visible Subscribe link."""

from __future__ import annotations

import re

import pytest

from tests.factories import create_council, create_pilot, create_user
from tests.feeds.conftest import parse

SUBSCRIBE = re.compile(r'<a class="govuk-link" href="(/subscribe\?[^"]+)">Subscribe to ')
ALTERNATE = re.compile(
    r'<link rel="alternate" type="application/(atom|rss)\+xml" [^>]*href="([^"]+)"'
)


@pytest.fixture
def pilot(app_ctx):
    return create_pilot(
        create_council(code="DIS"), slug="discoverable", title="Discoverable", pillars=["inclusion"]
    )


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/", "/feeds/pilots"),
        ("/pilots", "/feeds/pilots"),
        ("/pilots?pillar=inclusion&status=registered", "/feeds/search"),
        ("/councils/dis", "/feeds/councils/dis"),
        ("/pillars/inclusion", "/feeds/pillars/inclusion"),
        ("/pilots/discoverable", "/feeds/pilots/discoverable/events"),
    ],
)
def test_listing_pages_link_their_feeds(client, pilot, page, feed):
    html = client.get(page).get_data(as_text=True)
    found: dict[str, str] = {}
    for kind, href in ALTERNATE.findall(html):
        found.setdefault(kind, href.replace("&amp;", "&"))  # the page's main feed comes first
    assert found["atom"].startswith(f"{feed}.atom")
    assert found["rss"].startswith(f"{feed}.rss")
    subscribe = SUBSCRIBE.search(html)
    assert subscribe, "no Subscribe link"
    # The link leads to a page that explains feed readers and shows both addresses to copy.
    explained = client.get(subscribe.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "A feed reader checks this list for you" in explained
    for address in found.values():
        assert f'{address.replace("&", "&amp;")}" readonly' in explained
    for href in found.values():
        feed_doc = parse(client.get(href))
        if "events" not in href:
            assert [e.title for e in feed_doc.entries] == ["Discoverable"]


def test_filtered_pilot_list_subscribes_to_the_same_filters(client, pilot):
    html = client.get("/pilots?pillar=inclusion&status=running").get_data(as_text=True)
    href = dict(ALTERNATE.findall(html))["atom"].replace("&amp;", "&")
    assert parse(client.get(href)).entries == []  # the pilot is registered, not running


def test_a_draft_page_offers_no_feed(client, app_ctx, sign_in):
    council = create_council()
    draft = create_pilot(council, status="draft")
    sign_in(create_user("editor", council))
    html = client.get(f"/pilots/{draft.slug}").get_data(as_text=True)
    assert "application/atom+xml" not in html and "Subscribe" not in html


def test_search_results_subscribe_to_the_same_search(client, pilot):
    html = client.get("/search?q=discoverable&pillar=inclusion").get_data(as_text=True)
    href = dict(ALTERNATE.findall(html))["atom"].replace("&amp;", "&")
    assert href.startswith("/feeds/search.atom?")
    assert "q=discoverable" in href and "pillar=inclusion" in href
    assert ">Subscribe to pilots matching this search" in html
    assert [e.title for e in parse(client.get(href)).entries] == ["Discoverable"]
