"""/subscribe: one page for every feed, named by its parameters; only the registry's own feeds."""

from __future__ import annotations

import re

import pytest

from tests.factories import create_council, create_pilot


@pytest.fixture
def council(app_ctx):
    council = create_council(code="KEC", nice_name="Kensington and Chelsea")
    create_pilot(council, title="Repairs triage")
    return council


def test_the_subscribe_page_offers_atom_and_rss_addresses_to_copy(client, council):
    response = client.get("/subscribe?feed=council&code=kec")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Subscribe to Pilots in' in html
    assert '/feeds/councils/kec.atom" readonly' in html
    assert '/feeds/councils/kec.rss" readonly' in html
    assert "Email alerts are not available yet" in html
    assert 'href="http://localhost/councils/kec"' in html or '/councils/kec">Back' in html


def test_a_search_subscription_keeps_the_search(client, council):
    html = client.get("/subscribe?feed=search&q=repairs&pillar=inclusion").get_data(as_text=True)
    address = re.search(r'value="([^"]+/feeds/search\.atom\?[^"]+)" readonly', html)
    assert address, html[-3000:]
    assert "q=repairs" in address.group(1) and "pillar=inclusion" in address.group(1)


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
