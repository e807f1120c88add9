"""axe-core, with the WCAG 2.0 A and AA, 2.1 AA and 2.2 AA rules, finds nothing on any page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import Site, open_context, sign_in_as_editor
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
def axe_pages(browser: Browser, site: Site) -> Iterator[dict[bool, Page]]:
    """A reader's page and a signed-in editor's, each with axe loaded into every document."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test-deps does)"
    # CSP is bypassed only here, so that axe can be injected; the journeys run with it on.
    contexts = [open_context(browser, bypass_csp=True) for _ in range(2)]
    for context in contexts:
        context.add_init_script(path=str(AXE))
    pages = {False: contexts[0].new_page(), True: contexts[1].new_page()}
    sign_in_as_editor(pages[True], site)
    yield pages
    for context in contexts:
        context.close()


@pytest.mark.parametrize("check", PAGES, ids=[p.name for p in PAGES])
def test_no_wcag_violations(check: PageCheck, site: Site, axe_pages: dict[bool, Page]):
    page = axe_pages[check.editor]
    base = site.dev_url if check.editor else site.public_url
    response = page.goto(base + check.path.format(**site.slugs))
    assert response is not None
    if check.status is not None:
        assert response.status == check.status
    if check.then:
        check.then(page)
        # What the person did must have led to the page being checked: a form with errors.
        assert page.locator(".govuk-error-summary").is_visible()
        assert page.title().startswith("Error: ")
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert violations == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


def test_the_accessibility_statement_follows_the_govuk_pattern(site: Site, axe_pages):
    page = axe_pages[False]
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
