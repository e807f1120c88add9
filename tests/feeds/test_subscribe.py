"""/subscribe: one page for every feed, named by its parameters; only the registry's own feeds."""

from __future__ import annotations

import re

import pytest

from tests.factories import create_council, create_pilot


@pytest.fixture
def council(app_ctx):
    council = create_council(code="KEC", nice_name="Kensington and Chelsea")
    create_pilot(council, title="Repairs triage", slug="repairs-triage")
    return council


def test_the_subscribe_page_offers_atom_and_rss_addresses_to_copy(client, council):
    response = client.get("/subscribe?feed=council&code=kec")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Subscribe to Pilots in' in html
    assert '/feeds/councils/kec.atom" readonly' in html
    assert '/feeds/councils/kec.rss" readonly' in html
    assert "not available" not in html
    assert 'href="/alerts/new?council=kec">Get these by email</a>' in html
    assert 'href="http://localhost/councils/kec"' in html or '/councils/kec">Back' in html


def test_a_search_subscription_keeps_the_search(client, council):
    html = client.get("/subscribe?feed=search&q=repairs&pillar=inclusion").get_data(as_text=True)
    address = re.search(r'value="([^"]+/feeds/search\.atom\?[^"]+)" readonly', html)
    assert address, html[-3000:]
    assert "q=repairs" in address.group(1) and "pillar=inclusion" in address.group(1)


def test_email_follows_the_same_search_and_the_alert_page_knows_it(client, council):
    html = client.get("/subscribe?feed=search&q=repairs&pillar=inclusion").get_data(as_text=True)
    link = re.search(r'href="(/alerts/new\?[^"]+)">Get these by email', html)
    assert link, html[-3000:]
    alert_page = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "repairs" in alert_page and "inclusion" in alert_page


def test_a_pilots_feed_offers_email_for_that_pilot(client, council):
    html = client.get("/subscribe?feed=pilot&slug=repairs-triage").get_data(as_text=True)
    assert 'href="/alerts/new?pilot=repairs-triage">Get these by email</a>' in html
    assert "Repairs triage" in client.get("/alerts/new?pilot=repairs-triage").get_data(as_text=True)


def test_the_whole_registry_has_no_email_link_but_says_where_to_find_one(client, council):
    html = client.get("/subscribe?feed=pilots").get_data(as_text=True)
    assert "Get these by email" not in html
    assert "not the whole registry" in html


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("feed=council&code=zzz", 404),
        ("feed=council", 404),
        ("feed=https://evil.example/feed.atom", 404),
        ("", 404),
        ("feed=search&pillar=no-such-pillar", 400),
    ],
)
def test_anything_but_a_registry_feed_is_refused_with_a_page(client, council, query, status):
    response = client.get(f"/subscribe?{query}")
    assert response.status_code == status
    assert "readonly" not in response.get_data(as_text=True)  # no address offered
