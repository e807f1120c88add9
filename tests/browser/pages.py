"""Every page template the browser checks (axe and the Nu Html Checker) cover, one line each.

`path` may name demo rows: {pilot} (a public demo pilot), {draft} (a KEC draft), {other} (another
council's pilot), {running} (a running KEC pilot), {person} (the WBK editor's user id), {member}
(their membership of WBK). `who` is the demo person the page is opened
as: a reader (signed out, on the public app) or, signed in on the development app, the KEC
`editor`, the West Berkshire `council-admin`, the `funder` or the registry `admin`.
`then` is what a person does on the page before it is checked (e.g. submit a form empty).
To cover a new page, add a line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page


def press(button: str) -> Callable[[Page], None]:
    """Press a form's button without filling anything in."""

    def then(page: Page) -> None:
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()

    return then


@dataclass(frozen=True)
class PageCheck:
    name: str
    path: str
    status: int | None = 200  # None: the page is reached by a form, not by its address
    who: str = "reader"
    then: Callable[[Page], None] | None = None


PAGES = [
    PageCheck("home", "/"),
    PageCheck("pilots", "/pilots"),
    PageCheck("pilots filtered by pillar", "/pilots?pillar=inclusion&status=concluded"),
    PageCheck("pilots with no match", "/pilots?council=zzz&status=withdrawn"),
    PageCheck("pilot", "/pilots/{pilot}"),
    PageCheck("councils", "/councils"),
    PageCheck("council", "/councils/kec"),
    PageCheck("subscribe to a council's pilots", "/subscribe?feed=council&code=kec"),
    PageCheck("subscribe to a search", "/subscribe?feed=search&q=parking&pillar=inclusion"),
    PageCheck("pillars", "/pillars"),
    PageCheck("pillar", "/pillars/inclusion"),
    PageCheck("about", "/about"),
    PageCheck("guidance", "/guidance"),
    PageCheck("accessibility statement", "/accessibility"),
    PageCheck("sign in", "/auth/sign-in"),
    PageCheck("development sign-in", "/auth/dev", who="editor"),
    PageCheck("development sign-in with error", "/auth/dev", None, "editor", press("Sign in")),
    PageCheck("new pilot", "/pilots/new", who="editor"),
    PageCheck("new pilot with errors", "/pilots/new", None, "editor", press("Save draft")),
    PageCheck("draft pilot", "/pilots/{draft}", who="editor"),
    PageCheck("edit draft", "/pilots/{draft}/edit", who="editor"),
    PageCheck("check before registering", "/pilots/{draft}/register", who="editor"),
    PageCheck("mark as started", "/pilots/kec-visitor-parking-assisted-route/start", who="editor"),
    PageCheck("edit registered pilot", "/pilots/{pilot}/edit", who="editor"),
    PageCheck("search with results", "/search?q=chatbot"),
    PageCheck("search with a facet", "/search?q=residents&pillar=inclusion"),
    PageCheck("search with no results", "/search?q=zzzzqqq&status=withdrawn"),
    PageCheck("search refused", "/search?q=" + "x" * 501, 400),
    PageCheck("history", "/pilots/{pilot}/history"),
    PageCheck("outcome report", "/pilots/hrt-photo-pothole-reporting/results"),
    PageCheck("overdue reports", "/overdue"),
    PageCheck("funding programmes", "/funding"),
    PageCheck("funding programme", "/funding/programmes/test-small-learn-fast"),
    PageCheck("amend", "/pilots/{pilot}/amend", who="editor"),
    PageCheck("add a measure", "/pilots/{draft}/measures/new", who="editor"),
    PageCheck(
        "measure with errors", "/pilots/{draft}/measures/new", None, "editor", press("Save measure")
    ),
    PageCheck("councils by reporting record", "/councils?sort=reporting"),
    PageCheck("progress update", "/pilots/{running}/updates/new", who="editor"),
    PageCheck(
        "progress update with errors",
        "/pilots/{running}/updates/new",
        None,
        "editor",
        press("Post update"),
    ),
    PageCheck("outcome report form", "/pilots/{running}/results", who="editor"),
    PageCheck("stop a pilot", "/pilots/{running}/stop", who="editor"),
    PageCheck(
        "stop a pilot with errors",
        "/pilots/{running}/stop",
        None,
        "editor",
        press("Stop the pilot"),
    ),
    PageCheck("your account", "/account", who="editor"),
    PageCheck("your council's pilots", "/your-pilots", who="editor"),
    PageCheck("your council's drafts", "/your-pilots?group=drafts", who="editor"),
    PageCheck("your council's pilots, as registry admin", "/your-pilots", who="admin"),
    PageCheck("council members", "/councils/wbk/members", who="council-admin"),
    PageCheck("join a council", "/councils/wbk/join"),
    PageCheck("join a council, signed in", "/councils/wbk/join", who="funder"),
    PageCheck("change a member", "/councils/wbk/members/{member}/change", who="council-admin"),
    PageCheck("council domains", "/councils/wbk/domains", who="council-admin"),
    PageCheck("people and roles", "/people?q=e", who="admin"),
    PageCheck("a person's roles", "/people/{person}", who="admin"),
    PageCheck(
        "a person's roles with errors", "/people/{person}", None, "admin", press("Give this role")
    ),
    PageCheck("council audit log", "/councils/wbk/audit", who="council-admin"),
    PageCheck("audit log", "/audit", who="admin"),
    PageCheck("councils' email domains to review", "/council-domains", who="admin"),
    PageCheck("report extension", "/pilots/{running}/extension", who="admin"),
    PageCheck("funder dashboard", "/funding/dashboard", who="funder"),
    PageCheck(
        "new programme with errors",
        "/funding/programmes/new",
        None,
        "funder",
        press("Save programme"),
    ),
    PageCheck("edit programme", "/funding/programmes/test-small-learn-fast/edit", who="funder"),
    PageCheck(
        "new award with errors",
        "/funding/programmes/test-small-learn-fast/awards/new",
        None,
        "funder",
        press("Save award"),
    ),
    PageCheck("error 400", "/pilots?pillar=no-such-pillar", 400),
    PageCheck("error 403", "/pilots/{other}/edit", 403, who="editor"),
    PageCheck("error 404", "/no-such-page", 404),
    PageCheck("error 413", "/test-only/error/413", 413),
    PageCheck("error 429", "/test-only/error/429", 429),
    PageCheck("error 500", "/test-only/error/500", 500),
    PageCheck("error 503", "/test-only/error/503", 503),
]
