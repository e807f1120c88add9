"""In Chromium, with our Content-Security-Policy on: the pilot page logs no CSP violation and its
JSON-LD reads back as the pilot.

The element carries the nonce all the same, but tried without it, Chromium (Debian's, this
repository's) logged nothing either: it does not hold a data block, which it never runs, to
`script-src`. So this test proves the page is clean under the policy, not that the nonce is needed;
tests/common/caching/test_page_cache.py checks that the element carries the request's nonce."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Site, journey

pytestmark = pytest.mark.browser


def test_the_pilot_pages_json_ld_breaks_no_policy(browser: Browser, site: Site) -> None:
    violations: list[str] = []
    with journey(browser) as page:  # fails on any console error, which a CSP refusal logs
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation',"
            " e => (window.__violations = window.__violations || []).push(e.violatedDirective))"
        )
        response = page.goto(f"{site.public_url}/pilots/{site.slugs['pilot']}")
        assert response is not None and response.status == 200
        violations = page.evaluate("window.__violations || []")
        scripts = page.locator('script[type="application/ld+json"]')
        assert scripts.count() == 1
        data = json.loads(scripts.text_content() or "")
        assert data["@type"] == "Project"
        assert data["name"] == page.locator("h1").inner_text()
        assert page.locator('meta[property="og:type"]').get_attribute("content") == "article"
    assert violations == []
