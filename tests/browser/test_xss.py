"""Every payload of the XSS corpus, stored in every free-text field of a pilot, is shown as text:
no dialog opens, `window.__xss` stays unset, and Chromium logs no error, which it would if our
Content-Security-Policy had to refuse a script or an injected tag tried to load something."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser

from app.councils.service import council_by_code
from tests.browser.conftest import Site, Watched, open_context, sign_in_as_editor, watch
from tests.common.xss_corpus import XSS_CORPUS
from tests.factories import (
    create_measure,
    create_outcome,
    create_pilot,
    create_progress_update,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def xss_slugs(site: Site) -> Iterator[list[str]]:
    with site.public_app.app_context():
        kec = council_by_code("KEC")
        slugs = []
        for n, payload in enumerate(XSS_CORPUS):
            pilot = create_pilot(
                kec,
                slug=f"xss-{n}",
                title=payload[:140],
                summary=payload,
                problem=payload,
                hypothesis=payload,
                approach=payload,
                offline_access=payload,
                location=payload[:200],
                tags=[payload[:60]],
                case_study=f"{payload}\n\nxsscanary",  # a word every one can be searched by
                pillars=["inclusion"],
                status="running",
            )
            create_measure(
                pilot, name=payload[:140], method=payload, unit=payload[:40],
                time_frame=payload[:200], evidence_description=payload,
            )  # fmt: skip
            create_progress_update(pilot, payload)
            create_outcome(
                pilot, date(2026, 3, 1), narrative=payload, advice=payload, justification=payload
            )
            slugs.append(pilot.slug)
    yield slugs


def assert_nothing_ran(watched: Watched, where: str) -> None:
    page = watched.page
    assert page.evaluate("window.__xss === undefined"), f"a payload set window.__xss on {where}"
    assert watched.dialogs == [], f"a payload opened a dialog on {where}"
    assert watched.console_errors == [], f"{where}: {watched.console_errors}"


def visit(watched: Watched, url: str) -> None:
    response = watched.page.goto(url)
    assert response is not None and response.status == 200, url
    assert_nothing_ran(watched, url)


def test_no_payload_runs_on_any_page_that_shows_it(browser: Browser, site: Site, xss_slugs):
    reader = open_context(browser)
    watched = watch(reader.new_page())
    for path in (
        "/",
        "/pilots?council=kec",
        "/pilots?council=kec&page=2",
        "/pilots?council=kec&page=3",
        "/pilots?council=kec&page=4",
        "/councils/kec",
        "/pillars/inclusion",
    ):
        visit(watched, site.public_url + path)
    for slug in xss_slugs:
        visit(watched, f"{site.public_url}/pilots/{slug}")
        shown = watched.page.locator("h1").inner_text()
        assert shown.split() == XSS_CORPUS[int(slug[4:])][:140].split()  # as text, verbatim
        visit(watched, f"{site.public_url}/pilots/{slug}/results")
        visit(watched, f"{site.public_url}/pilots/{slug}/history")
    reader.close()


def test_no_payload_runs_in_search_snippets(browser: Browser, site: Site, xss_slugs):
    """Snippets cut pilot text around the matching words and mark them: the riskiest place."""
    reader = open_context(browser)
    watched = watch(reader.new_page())
    pages = -(-len(xss_slugs) // 20)
    for query in ("xsscanary", "alert OR script OR onerror OR svg OR img OR javascript OR xss"):
        for page in range(1, pages + 1):
            visit(watched, f"{site.public_url}/search?q={quote(query)}&council=kec&page={page}")
            assert watched.page.locator("#search-results mark").count() > 0
    reader.close()


def test_no_payload_runs_in_the_edit_form(browser: Browser, site: Site, xss_slugs):
    editor = open_context(browser)
    watched = watch(editor.new_page())
    sign_in_as_editor(watched.page, site)
    for slug in xss_slugs:
        visit(watched, f"{site.dev_url}/pilots/{slug}/edit")
        payload = XSS_CORPUS[int(slug[4:])]
        assert watched.page.locator("#summary").input_value() == payload.strip()
    editor.close()
