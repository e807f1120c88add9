"""On a phone (375 CSS pixels wide, an iPhone SE or 12 mini) no page scrolls sideways: every page
of pages.py fits the screen, and a table too wide for it scrolls inside its own box."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import Site, page_per_person
from tests.browser.pages import PAGES, PageCheck
from tests.browser.test_accessibility import open_page

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
# What sticks out past the screen's right edge, to say which element to fix when the test fails.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(e => !e.closest('.app-table-scroll') || e.matches('.app-table-scroll'))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')
                      + ' right=' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture(scope="module")
def phones(browser: Browser, site: Site) -> Iterator[dict[str, Page]]:
    """A phone-sized page for a reader and for each signed-in demo person."""
    with page_per_person(browser, site, viewport=PHONE) as pages:
        yield pages


@pytest.mark.parametrize("check", PAGES, ids=[p.name for p in PAGES])
def test_no_page_scrolls_sideways_on_a_phone(check: PageCheck, site: Site, phones: dict[str, Page]):
    page = phones[check.who]
    open_page(check, site, page)
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert inner == PHONE["width"]
    assert width <= inner, f"{width}px wide: " + ", ".join(page.evaluate(WIDEST))


def test_a_wide_table_scrolls_in_its_own_box_by_keyboard(site: Site, phones: dict[str, Page]):
    """The pilot's measures table is wider than a phone: its box scrolls (it is wider inside
    than out), can be reached with the tab key and is named for screen readers."""
    page = phones["reader"]
    page.goto(site.public_url + "/pilots/" + site.slugs["pilot"])
    box = page.locator(".app-table-scroll", has=page.locator("table.app-measures"))
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label")
    inside, outside = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert inside > outside <= PHONE["width"]
    assert page.get_by_role("columnheader", name="Result").count() == 1
