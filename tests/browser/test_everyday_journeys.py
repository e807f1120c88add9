"""Everyday journeys (issue 21), each on a desktop screen and at 375 px wide: an admin gives a
role on a page, a council admin approves a request they were told about, a reader subscribes."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page

from app.auth.models import Membership
from app.councils.service import council_by_code
from app.extensions import db
from tests.browser.conftest import DEMO_PEOPLE, Site, journey, sign_in_as
from tests.factories import create_user

pytestmark = pytest.mark.browser

SCREENS = pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 800}, {"width": 375, "height": 667}],
    ids=["desktop", "phone"],
)
_people = itertools.count(1)


def h1(page: Page) -> str:
    return page.locator("h1").inner_text().strip()


def fits(page: Page) -> bool:
    """No sideways scrolling."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def go(page: Page, link: str, within: str = "main") -> None:
    with page.expect_navigation():
        page.locator(within).get_by_role("link", name=link).first.click()


def press(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def new_person(site: Site, asks_to_join: str | None = None) -> str:
    """Someone who has signed in once, with no role (or waiting to join the council with this
    code); returns their name."""
    name = f"Casey Lee {next(_people)}"
    with site.public_app.app_context():
        person = create_user(name=name, email=name.lower().replace(" ", ".") + "@gmail.example")
        if asks_to_join:
            council = council_by_code(asks_to_join)
            db.session.add(
                Membership(user=person, role="editor", council=council, status="pending")
            )
            db.session.commit()
    return name


@SCREENS
def test_an_admin_gives_someone_the_funder_role_on_a_page(
    browser: Browser, site: Site, viewport: dict[str, int]
):
    name = new_person(site)
    with journey(browser, viewport=viewport) as page:
        sign_in_as(page, site, DEMO_PEOPLE["admin"])
        page.goto(site.dev_url + "/account")
        go(page, "People and roles")
        assert h1(page) == "People and roles" and fits(page)
        page.get_by_label("Name or email").fill(name)
        press(page, "Find people")
        go(page, name)
        assert h1(page) == name
        page.get_by_label("Funder: manages funding programmes").check()
        press(page, "Give this role")
        assert f"{name} is now funder" in page.locator("body").inner_text()
        assert page.locator("#roles + ul").inner_text().startswith("funder")
        assert fits(page)


class Clicks:
    """Counts what the person clicks (links, buttons, radios, checkboxes, choices in a list);
    typing is not counted. The editor's journey reports its count (issue 21 asks for it)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def go(self, locator: Locator) -> None:
        """Click something that loads another page."""
        self.count += 1
        with self.page.expect_navigation():
            locator.click()

    def pick(self, locator: Locator) -> None:
        """Click a radio or checkbox."""
        self.count += 1
        locator.check()

    def tap(self, locator: Locator) -> None:
        """Click anything else (an autocomplete's suggestion, a menu button)."""
        self.count += 1
        locator.click()


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    for box, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(box).fill(str(value))


JOURNEY_CLICKS: dict[str, int] = {}


@pytest.mark.parametrize(
    "js, viewport",
    [(True, None), (False, None), (True, {"width": 375, "height": 667})],
    ids=["javascript", "no-javascript", "phone"],
)
def test_an_editor_takes_a_new_draft_to_registered_started_and_concluded(
    browser: Browser, site: Site, js: bool, viewport: Any
):
    """The issue's editor: a new draft, left and found again from the header, a measure,
    registered after checking, started on the day asked, concluded with the proposed verdict."""
    options = {"java_script_enabled": js} | ({"viewport": viewport} if viewport else {})
    title = f"Everyday journey pilot ({'JavaScript' if js else 'no JavaScript'}, {viewport})"
    today = date.today()
    with journey(browser, **options) as page:
        clicks = Clicks(page)
        sign_in_as(page, site, DEMO_PEOPLE["editor"])
        page.goto(site.dev_url + "/pilots")
        clicks.go(page.get_by_role("button", name="Describe a new pilot"))  # a link, as a button
        page.get_by_label("Title", exact=True).fill(title)
        lead = page.get_by_label("Lead council")
        assert lead.locator("option:checked").inner_text() == "Kensington and Chelsea"
        if js:  # the partner council by name, in the accessible autocomplete
            page.get_by_label("Partner council 1").fill("Hertford")
            clicks.tap(page.get_by_role("option", name="Hertfordshire"))
        else:
            page.get_by_label("Partner council 1").select_option(label="Hertfordshire")
            clicks.count += 1
        page.get_by_label("Summary", exact=True).fill("Trying the everyday journey.")
        page.get_by_label("Hypothesis", exact=True).fill(
            "We believe that fewer clicks help editors. We will know when they finish sooner."
        )
        clicks.pick(page.get_by_label("Inclusion"))
        fill_date(page, "Start date", today + timedelta(days=30))  # planned: a month away
        fill_date(page, "Planned end date", today + timedelta(days=200))
        clicks.pick(page.get_by_label("Level 2: with a comparison or controls"))
        clicks.go(page.get_by_role("button", name="Save draft"))
        assert h1(page) == title and "Draft saved" in page.content()
        assert fits(page)

        page.goto(site.dev_url + "/")  # leave it, then find it again from the header
        if viewport and js:  # on a phone the service navigation folds behind its Menu button
            clicks.tap(page.get_by_role("button", name="Menu"))
        clicks.go(page.get_by_label("Main menu").get_by_role("link", name="Your council's pilots"))
        clicks.go(page.locator("#drafts").get_by_role("link", name=title))
        assert h1(page) == title

        clicks.go(page.get_by_role("link", name="Add a success measure"))
        assert page.get_by_label("Primary: decides the verdict").is_checked()  # the first one
        page.get_by_label("Name", exact=True).fill("Minutes to register a pilot")
        page.get_by_label("What is measured, and how").fill("Timed in the browser.")
        page.get_by_label("Unit", exact=True).fill("minutes")
        page.get_by_label("Target", exact=True).fill("10")
        page.get_by_label("Disproved if it reaches").fill("30")
        clicks.pick(page.get_by_label("Lower is better"))
        page.get_by_label("Time frame", exact=True).fill("The six months of the pilot")
        clicks.go(page.get_by_role("button", name="Save measure"))
        assert "Measure saved" in page.locator("body").inner_text()
        assert page.evaluate("window.scrollY") == 0  # landed where the confirmation shows

        clicks.go(page.get_by_role("button", name="Register this pilot"))  # to the check
        assert h1(page) == "Check before you register"
        assert "Minutes to register a pilot" in page.locator("main").inner_text()
        clicks.go(page.get_by_role("button", name="Register this pilot"))
        assert "Registered. The hypothesis is now frozen" in page.content()

        clicks.go(page.get_by_role("button", name="Mark as started"))
        day = page.get_by_role("group", name="When did the pilot start?").get_by_label("Day")
        assert day.input_value() == f"{today:%d}"  # today, filled in
        clicks.go(page.get_by_role("button", name="Mark as started"))
        assert "The pilot is now running" in page.content()
        # Registered today, a month before its planned start; it started today: on time.
        assert "Registered before it started" in page.content()

        clicks.go(page.get_by_role("link", name="Report the outcome and conclude"))
        page.get_by_label("Minutes to register a pilot: measured value (minutes)").fill("8")
        fill_date(page, "Minutes to register a pilot: date measured", today)
        fill_date(page, "Actual end date", today)
        page.get_by_label("What was learnt").fill("Editors finished sooner.")
        clicks.go(page.get_by_role("button", name="Check the proposed verdict"))
        assert page.get_by_label("Proved", exact=True).is_checked()  # the proposal, chosen
        clicks.go(page.get_by_role("button", name="Conclude the pilot"))
        assert "Concluded: proved" in page.content()
        assert fits(page)
    JOURNEY_CLICKS[f"js={js} viewport={viewport}"] = clicks.count
    print(f"\neditor journey clicks ({'JavaScript' if js else 'no JavaScript'}): {clicks.count}")


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_on_a_phone_search_results_come_before_the_filters(browser: Browser, site: Site, js: bool):
    """At 375 px the first result is on the first screen; with JavaScript the filters wait
    behind "Filter results", which opens them (as <details> does without JavaScript too)."""
    with journey(browser, viewport={"width": 375, "height": 667}, java_script_enabled=js) as page:
        page.goto(site.public_url + "/search?q=parking")
        first = page.locator("#search-results > li").first
        # 672 px down with JavaScript, 887 without (the menu is unfolded); 1,540 px before.
        assert first.bounding_box()["y"] < 1000, first.bounding_box()
        facets = page.locator("#facet-pillar")
        summary = page.get_by_text("Filter results", exact=True)
        if js:
            assert not facets.is_visible()
            summary.click()
        assert facets.is_visible()
        assert facets.bounding_box()["y"] > first.bounding_box()["y"]
        assert fits(page)


def test_on_a_desktop_the_filters_stay_beside_the_results(browser: Browser, site: Site):
    with journey(browser, viewport={"width": 1280, "height": 800}) as page:
        page.goto(site.public_url + "/search?q=parking")
        results = page.locator("#search-results").bounding_box()
        facets = page.locator("#facet-pillar").bounding_box()
        assert facets["x"] < results["x"]  # on the left, as before
        assert not page.get_by_text("Filter results", exact=True).is_visible()


@SCREENS
def test_a_council_admin_approves_a_request_they_were_told_about(
    browser: Browser, site: Site, viewport: dict[str, int]
):
    name = new_person(site, asks_to_join="WBK")
    with journey(browser, viewport=viewport) as page:
        sign_in_as(page, site, DEMO_PEOPLE["council-admin"])  # West Berkshire's council admin
        page.goto(site.dev_url + "/")
        if viewport["width"] < 641:  # on a phone the service navigation folds behind Menu
            page.get_by_role("button", name="Menu").click()
        told = page.get_by_label("Main menu").get_by_role(
            "link", name=re.compile(r"^Join requests")
        )
        with page.expect_navigation():
            told.click()
        waiting = page.locator("#waiting-to-join + ul")
        assert "waiting to join West Berkshire" in waiting.inner_text()
        go(page, "waiting to join West Berkshire")
        assert h1(page) == "Members of West Berkshire" and fits(page)
        with page.expect_navigation():
            page.get_by_role("button", name=f"Approve {name}").click()
        assert f"{name}: request approved" in page.locator("body").inner_text()
        members = page.get_by_role("region", name="Members").inner_text()
        assert name in members
        assert fits(page)
