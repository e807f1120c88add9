"""Everyday journeys (issue 21), each on a desktop screen and at 375 px wide: an admin gives a
role on a page, a council admin approves a request they were told about, a reader subscribes."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Browser, Page

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


def new_person(site: Site, **values: str) -> str:
    """Someone who has signed in once, with no role; returns their name."""
    name = f"Casey Lee {next(_people)}"
    with site.public_app.app_context():
        create_user(name=name, email=name.lower().replace(" ", ".") + "@wbk.example", **values)
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
