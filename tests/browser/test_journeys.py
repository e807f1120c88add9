"""What people do, end to end in Chromium: with JavaScript, without it, and by keyboard alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import feedparser
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import Site, journey, open_context, sign_in_as_editor

pytestmark = pytest.mark.browser

JS = pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])


def h1(page: Page) -> str:
    return page.locator("h1").inner_text().strip()


@JS
def test_a_reader_filters_by_pillar_and_opens_a_pilot(browser: Browser, site: Site, js: bool):
    with journey(browser, java_script_enabled=js) as page:
        page.goto(site.public_url + "/")
        with page.expect_navigation():
            page.get_by_label("Main menu").get_by_role("link", name="Pilots").click()
        assert h1(page) == "Pilots"
        page.get_by_label("Pillar").select_option(label="Inclusion")
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
        assert "pillar=inclusion" in page.url
        results = page.locator(".app-pilot-list__item")
        assert results.count() > 0, page.locator("main").inner_text()[:1500]
        for text in results.all_inner_texts():
            assert "Inclusion" in text
        first = results.first.get_by_role("link")
        title = first.inner_text().strip()
        with page.expect_navigation():
            first.click()
        assert h1(page) == title
        assert "Inclusion" in page.locator("main").inner_text()
        if js:
            # GOV.UK Frontend's inline script ran under our CSP (it carries the nonce).
            assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")


def search_for(page: Page, words: str) -> None:
    """Type words into the search form and send it, as a person would."""
    page.get_by_label("Words to find").fill(words)
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()


@JS
def test_a_reader_searches_narrows_by_a_facet_and_opens_a_pilot(
    browser: Browser, site: Site, js: bool
):
    with journey(browser, java_script_enabled=js) as page:
        page.goto(site.public_url + "/")
        with page.expect_navigation():
            page.get_by_label("Main menu").get_by_role("link", name="Search").click()
        assert h1(page) == "Search pilots"
        search_for(page, "housing")
        results = page.locator("#search-results > li")
        everything = results.count()
        assert everything > 0, page.locator("main").inner_text()[:1500]
        assert page.locator("#search-results mark").count() > 0  # the matching words are marked
        facet = page.locator("#facet-pillar a[data-facet]").last  # the pillar with fewest results
        pillar = facet.inner_text().strip()
        with page.expect_navigation():
            facet.click()
        assert "q=housing" in page.url and "pillar=" in page.url
        assert 0 < results.count() <= everything
        for text in results.all_inner_texts():
            assert pillar in text
        remove = page.get_by_role("link", name=f"Remove filter pillar: {pillar.lower()}")
        assert remove.is_visible()
        first = results.first.get_by_role("link")
        title = first.inner_text().strip()
        with page.expect_navigation():
            first.click()
        assert h1(page) == title


@pytest.mark.parametrize(
    "js, viewport",
    [(True, None), (False, None), (True, {"width": 375, "height": 667})],
    ids=["javascript", "no-javascript", "phone"],
)
def test_a_subscriber_finds_the_feed_of_a_council_and_opens_an_entry(
    browser: Browser, site: Site, js: bool, viewport: Any
):
    """An officer, not signed in, subscribes from a council's page: the link leads to a page
    that explains feed readers and shows the address to copy; that address is a feed that
    parses, and its entries lead back to the pilots."""
    options = {"java_script_enabled": js, "permissions": ["clipboard-read", "clipboard-write"]}
    options |= {"viewport": viewport} if viewport else {}
    with journey(browser, **options) as page:
        page.goto(site.public_url + "/councils")
        with page.expect_navigation():
            page.get_by_role("link", name="Kensington and Chelsea").first.click()
        discovered = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
        feed_href = discovered.get_attribute("href")  # what feed readers find by themselves
        with page.expect_navigation():
            page.get_by_role("link", name=re.compile(r"^Subscribe to ")).click()
        assert h1(page).startswith("Subscribe to Pilots in")
        assert "A feed reader checks this list for you" in page.locator("main").inner_text()
        address = page.get_by_label("Feed address").input_value()
        assert address == site.public_url + feed_href
        assert page.get_by_label("RSS address").input_value().endswith(".rss")
        copy = page.locator('button[data-copy="atom-address"]')
        if js:
            copy.click()
            assert page.evaluate("navigator.clipboard.readText()") == address
            assert copy.inner_text().startswith("Copied")
        else:
            assert copy.count() == 0  # without JavaScript the address is copied by hand
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        response = page.context.request.get(address)  # what a feed reader fetches
        assert response.status == 200
        assert response.headers["content-type"].startswith("application/atom+xml")
        feed = feedparser.parse(response.body())
        assert not feed.bozo and feed.entries, feed.get("bozo_exception")
        entry = feed.entries[0]
        with page.expect_navigation():
            page.goto(entry.link)
        assert h1(page) == entry.title
        assert "Kensington and Chelsea" in page.locator("main").inner_text()


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


@JS
def test_an_editor_drafts_fixes_an_error_and_registers(browser: Browser, site: Site, js: bool):
    with journey(browser, java_script_enabled=js) as page:
        title = f"Browser journey pilot {'with' if js else 'without'} JavaScript"
        sign_in_as_editor(page, site)
        page.goto(site.dev_url + "/pilots")
        with page.expect_navigation():
            page.get_by_role("button", name="Describe a new pilot").click()  # a link styled as one
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_label("Lead council").select_option("KEC")
        page.get_by_label("Summary", exact=True).fill("Trying a browser journey.")
        page.get_by_label("Inclusion").check()
        fill_date(page, "Start date", "1", "9", "2027")
        fill_date(page, "Planned end date", "31", "3", "2028")
        page.get_by_label("Level 2: with a comparison or controls").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save draft").click()

        summary = page.locator(".govuk-error-summary")
        assert summary.is_visible()
        assert page.title().startswith("Error: ")
        summary.get_by_role("link", name="Enter the hypothesis").click()
        if js:  # GOV.UK Frontend moves focus to the field itself
            assert page.evaluate("document.activeElement.id") == "hypothesis"
        page.get_by_label("Hypothesis", exact=True).fill(
            "We believe that a journey test will catch regressions. We will know when it fails."
        )
        assert page.get_by_label("Title", exact=True).input_value() == title  # kept after the error
        with page.expect_navigation():
            page.get_by_role("button", name="Save draft").click()

        assert h1(page) == title
        assert "Draft saved" in page.content()
        slug = page.url.rsplit("/", 1)[1]
        # Registering needs a primary success measure, set before the pilot runs.
        with page.expect_navigation():
            page.get_by_role("link", name="Add a success measure").click()
        page.get_by_label("Name", exact=True).fill("Missed collections reported")
        page.get_by_label("What is measured, and how").fill("Counted weekly from the CRM.")
        page.get_by_label("Unit", exact=True).fill("reports a week")
        page.get_by_label("Target", exact=True).fill("40")
        page.get_by_label("Disproved if it reaches").fill("55")
        page.get_by_label("Lower is better").check()
        page.get_by_label("Time frame", exact=True).fill("The six months of the pilot")
        page.get_by_label("Primary: decides the verdict").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save measure").click()
        assert h1(page) == title
        with page.expect_navigation():
            page.get_by_role("button", name="Register this pilot").click()  # a link to the check
        assert h1(page) == "Check before you register"
        assert "Missed collections reported" in page.locator("main").inner_text()
        with page.expect_navigation():
            page.get_by_role("button", name="Register this pilot").click()
        assert "Registered. The hypothesis is now frozen" in page.content()

    reader = open_context(browser, java_script_enabled=js)
    public = reader.new_page()
    response = public.goto(f"{site.public_url}/pilots/{slug}")
    assert response is not None and response.status == 200
    assert h1(public) == title
    public.goto(f"{site.public_url}/search")
    search_for(public, f'"{title}"')  # registered, so public, so in the index
    found = public.locator("#search-results > li h2 a")
    assert found.all_inner_texts() == [title]
    reader.close()


# The focused element, and whether its focus style differs visibly from its unfocused style.
# GOV.UK radios and checkboxes hide the input and draw the focus ring on the label's ::before.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const look = () => {
    const own = getComputedStyle(el);
    const label = el.labels && el.labels[0] ? getComputedStyle(el.labels[0], '::before') : null;
    return [own.outlineStyle, own.outlineWidth, own.outlineColor, own.boxShadow,
            own.backgroundColor, own.color, own.textDecorationLine,
            label ? label.boxShadow : '', label ? label.outlineColor : ''].join('|');
  };
  const focused = look();
  el.blur();
  const unfocused = look();
  el.focus();
  const own = getComputedStyle(el);
  const label = el.labels && el.labels[0] ? getComputedStyle(el.labels[0], '::before') : null;
  const yellow = 'rgb(255, 221, 0)';
  const marked = [own.outlineColor, own.boxShadow, own.backgroundColor,
                  label ? label.boxShadow : ''].some(v => v.includes(yellow));
  return {tag: el.tagName, id: el.id, name: el.getAttribute('name') || '',
          href: el.getAttribute('href') || '',
          text: (el.innerText || el.value || '').trim().slice(0, 80),
          visible: marked && focused !== unfocused};
}"""


def tab_to(page: Page, matches: Callable[[dict[str, Any]], bool], limit: int = 120) -> None:
    """Press Tab until the focused element matches, checking the focus is visible at each stop."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue  # focus left the page's content (e.g. to the address bar) and comes back
        assert state["visible"], f"focus is not visible on {state}"
        seen.append(state["text"] or state["id"])
        if matches(state):
            return
    raise AssertionError(f"never reached the element by Tab; passed {seen}")


def text_is(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda state: state["text"] == text


def id_is(element_id: str) -> Callable[[dict[str, Any]], bool]:
    return lambda state: state["id"] == element_id


def press(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_reader_and_editor_by_keyboard_alone(browser: Browser, site: Site):
    with journey(browser) as page:
        # A reader: home → Pilots → filter by pillar → a pilot.
        page.goto(site.public_url + "/")
        tab_to(page, lambda s: s["text"] == "Pilots" and s["href"] == "/pilots")
        press(page, "Enter")
        tab_to(page, id_is("filter-pillar"))
        page.keyboard.type("Inclusion")
        assert page.locator("#filter-pillar").input_value() == "inclusion"
        tab_to(page, text_is("Apply filters"))
        press(page, "Enter")
        assert "pillar=inclusion" in page.url
        tab_to(page, lambda s: s["href"].startswith("/pilots/"))
        press(page, "Enter")
        assert "Inclusion" in page.locator("main").inner_text()

        # An editor: sign in → new pilot → an error → fix it → register.
        page.goto(site.dev_url + "/")
        tab_to(page, lambda s: s["text"] == "Sign in" and s["href"].startswith("/auth/sign-in"))
        press(page, "Enter")
        tab_to(page, text_is("Sign in as a demo user"))
        press(page, "Enter")
        tab_to(page, lambda s: s["name"] == "user_id")  # the first demo user: the KEC editor
        page.keyboard.press("Space")
        tab_to(page, text_is("Sign in"))
        press(page, "Enter")
        assert "Signed in as Priya Shah" in page.content()
        tab_to(page, lambda s: s["text"] == "Pilots" and s["href"] == "/pilots")
        press(page, "Enter")
        tab_to(page, text_is("Describe a new pilot"))
        press(page, "Enter")
        tab_to(page, id_is("title"))
        page.keyboard.type("Keyboard journey pilot")
        tab_to(page, id_is("lead_council"))
        page.keyboard.type("Kensington")
        tab_to(page, id_is("summary"))
        page.keyboard.type("Made without a mouse.")
        tab_to(page, lambda s: s["name"] == "pillars")
        page.keyboard.press("Space")
        for field, values in (("start_date", "1 9 2027"), ("planned_end_date", "31 3 2028")):
            tab_to(page, id_is(f"{field}-day"))
            for i, value in enumerate(values.split()):
                if i:
                    page.keyboard.press("Tab")
                page.keyboard.type(value)
        tab_to(page, lambda s: s["name"] == "evaluation_design")
        page.keyboard.press("Space")
        tab_to(page, text_is("Save draft"))
        press(page, "Enter")
        assert page.title().startswith("Error: ")
        tab_to(page, text_is("Enter the hypothesis"))
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "hypothesis"
        page.keyboard.type("We believe keyboards suffice. We will know when this passes.")
        tab_to(page, text_is("Save draft"))
        press(page, "Enter")
        assert re.search(r"Draft saved", page.content())
        tab_to(page, text_is("Add a success measure"))
        press(page, "Enter")
        for field, value in (
            ("name", "Residents served"), ("method", "Counted at the desk."), ("unit", "people"),
            ("target", "60"), ("disproved_if", "30"),
        ):  # fmt: skip
            tab_to(page, id_is(field))
            page.keyboard.type(value)
        tab_to(page, lambda s: s["name"] == "direction")  # the first choice: higher is better
        page.keyboard.press("Space")
        tab_to(page, id_is("time_frame"))
        page.keyboard.type("Six months")
        tab_to(page, lambda s: s["name"] == "kind")  # the first choice: primary
        page.keyboard.press("Space")
        tab_to(page, text_is("Save measure"))
        press(page, "Enter")
        tab_to(page, text_is("Register this pilot"))  # a link styled as a button
        press(page, "Enter")
        assert "Check before you register" in page.content()
        tab_to(page, text_is("Register this pilot"))
        press(page, "Space")
        assert "Registered. The hypothesis is now frozen" in page.content()


@pytest.mark.parametrize(
    "js, viewport",
    [(True, None), (False, None), (True, {"width": 375, "height": 667})],
    ids=["javascript", "no-javascript", "phone"],
)
def test_an_editor_finds_their_draft_again_from_the_header(
    browser: Browser, site: Site, js: bool, viewport: Any
):
    """A draft is on no public listing: the header's "Your council's pilots" leads back to it."""
    options = {"java_script_enabled": js} | ({"viewport": viewport} if viewport else {})
    with journey(browser, **options) as page:
        sign_in_as_editor(page, site)
        page.goto(site.dev_url + "/")
        menu = page.get_by_label("Main menu")
        if viewport and js:  # on a phone the service navigation folds behind its Menu button
            page.get_by_role("button", name="Menu").click()
        with page.expect_navigation():
            menu.get_by_role("link", name="Your council's pilots").click()
        assert h1(page) == "Your council's pilots"
        drafts = page.locator("#drafts")
        with page.expect_navigation():
            drafts.get_by_role("link", name="A draft for the browser").click()
        assert h1(page) == "A draft for the browser"
        assert page.url.endswith("/pilots/" + site.slugs["draft"])


@JS
def test_a_reader_searches_from_the_home_page(browser: Browser, site: Site, js: bool):
    with journey(browser, java_script_enabled=js) as page:
        page.goto(site.public_url + "/")
        page.get_by_label("Search pilots").fill("housing")
        with page.expect_navigation():
            page.get_by_role("main").get_by_role("button", name="Search", exact=True).click()
        assert h1(page) == "Search pilots"
        assert "q=housing" in page.url
        assert page.locator("#search-results > li").count() > 0
