"""On every page of pages.py: axe-core, with the WCAG 2.0 A and AA, 2.1 AA and 2.2 AA rules, finds
nothing, and the W3C Nu Html Checker finds no error in the HTML the server sent.

Each page is opened once: its axe test keeps the HTML it was sent, and the Nu tests check all of
those in one run of the checker (opening any page whose axe test did not run)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Response

from tests.browser.conftest import Site, page_per_person
from tests.browser.html_checker import SavedPages, nu_errors
from tests.browser.pages import PAGES, PageCheck

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ' : ' + n.failureSummary)}));
}"""


@pytest.fixture(scope="module")
def axe_pages(browser: Browser, site: Site) -> Iterator[dict[str, Page]]:
    """A reader's page and one for each signed-in demo person, with axe in every document."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test-deps does)"
    # CSP is bypassed only here, so that axe can be injected; the journeys run with it on.
    with page_per_person(browser, site, str(AXE), bypass_csp=True) as pages:
        yield pages


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> SavedPages:
    return SavedPages(tmp_path_factory.mktemp("served-pages"))


def open_page(check: PageCheck, site: Site, page: Page) -> str:
    """Open the page as `check` says, as its person, and return the HTML the server sent for it."""
    documents: list[Response] = []

    def on_response(response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            documents.append(response)

    page.on("response", on_response)
    try:
        base = site.public_url if check.who == "reader" else site.dev_url
        response = page.goto(base + check.path.format(**site.slugs))
        assert response is not None
        if check.status is not None:
            assert response.status == check.status
        if check.then:
            check.then(page)
            # What the person did must have led to the page being checked: a form with errors.
            assert page.locator(".govuk-error-summary").is_visible()
            assert page.title().startswith("Error: ")
    finally:
        page.remove_listener("response", on_response)
    return documents[-1].text()


@pytest.mark.parametrize("check", PAGES, ids=[p.name for p in PAGES])
def test_no_wcag_violations(
    check: PageCheck, site: Site, axe_pages: dict[str, Page], served: SavedPages
):
    page = axe_pages[check.who]
    served.save(check.name, open_page(check, site, page))
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert violations == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


@pytest.fixture(scope="module")
def nu_report(site: Site, axe_pages: dict[str, Page], served: SavedPages) -> dict[str, list[str]]:
    """Every page's Nu errors, from one run of the checker."""
    for check in PAGES:
        if check.name not in served.files:
            # A page not opened as its check says is left out: its axe test fails and says why.
            with contextlib.suppress(AssertionError):
                served.save(check.name, open_page(check, site, axe_pages[check.who]))
    return nu_errors(served.files)


@pytest.mark.parametrize("check", PAGES, ids=[p.name for p in PAGES])
def test_no_nu_html_errors(check: PageCheck, nu_report: dict[str, list[str]]):
    assert check.name in nu_report, "the page did not open as its check says (see its axe test)"
    assert nu_report[check.name] == [], "\n".join(nu_report[check.name])


def test_the_accessibility_statement_follows_the_govuk_pattern(site: Site, axe_pages):
    page = axe_pages["reader"]
    page.goto(site.public_url + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="Accessibility statement").click()
    assert page.locator("h1").inner_text() == "Accessibility statement for Proving Ground"
    headings = page.locator("h2").all_inner_texts()
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Preparation of this accessibility statement",
    ):
        assert heading in headings
