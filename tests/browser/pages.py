"""Every page template the browser checks cover, one line each.

`path` may name demo rows: {pilot} (a public demo pilot), {draft} (a KEC draft), {other} (another
council's pilot). `editor` pages are opened signed in as the KEC editor on the development app.
`then` is what a person does on the page before it is checked (e.g. submit a form empty).
To cover a new page, add a line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page


def submit_empty(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()


def submit_without_choosing(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


@dataclass(frozen=True)
class PageCheck:
    name: str
    path: str
    status: int | None = 200  # None: the page is reached by a form, not by its address
    editor: bool = False
    then: Callable[[Page], None] | None = None


PAGES = [
    PageCheck("home", "/"),
    PageCheck("pilots", "/pilots"),
    PageCheck("pilots filtered by pillar", "/pilots?pillar=inclusion&status=concluded"),
    PageCheck("pilots with no match", "/pilots?council=zzz&status=withdrawn"),
    PageCheck("pilot", "/pilots/{pilot}"),
    PageCheck("councils", "/councils"),
    PageCheck("council", "/councils/kec"),
    PageCheck("pillars", "/pillars"),
    PageCheck("pillar", "/pillars/inclusion"),
    PageCheck("about", "/about"),
    PageCheck("guidance", "/guidance"),
    PageCheck("accessibility statement", "/accessibility"),
    PageCheck("sign in", "/auth/sign-in"),
    PageCheck("development sign-in", "/auth/dev", editor=True),
    PageCheck("development sign-in with error", "/auth/dev", None, True, submit_without_choosing),
    PageCheck("new pilot", "/pilots/new", editor=True),
    PageCheck("new pilot with errors", "/pilots/new", None, True, submit_empty),
    PageCheck("draft pilot", "/pilots/{draft}", editor=True),
    PageCheck("edit draft", "/pilots/{draft}/edit", editor=True),
    PageCheck("edit registered pilot", "/pilots/{pilot}/edit", editor=True),
    PageCheck("search with results", "/search?q=chatbot"),
    PageCheck("search with a facet", "/search?q=residents&pillar=inclusion"),
    PageCheck("search with no results", "/search?q=zzzzqqq&status=withdrawn"),
    PageCheck("search refused", "/search?q=" + "x" * 501, 400),
    PageCheck("history", "/pilots/{pilot}/history"),
    PageCheck("outcome report", "/pilots/hrt-photo-pothole-reporting/results"),
    PageCheck("overdue reports", "/overdue"),
    PageCheck("funding programmes", "/funding"),
    PageCheck("funding programme", "/funding/programmes/test-small-learn-fast"),
    PageCheck("amend", "/pilots/{pilot}/amend", editor=True),
    PageCheck("add a measure", "/pilots/{draft}/measures/new", editor=True),
    PageCheck("error 400", "/pilots?pillar=no-such-pillar", 400),
    PageCheck("error 403", "/pilots/{other}/edit", 403, editor=True),
    PageCheck("error 404", "/no-such-page", 404),
    PageCheck("error 413", "/test-only/error/413", 413),
    PageCheck("error 429", "/test-only/error/429", 429),
    PageCheck("error 500", "/test-only/error/500", 500),
    PageCheck("error 503", "/test-only/error/503", 503),
]
