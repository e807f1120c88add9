"""Browser tests: the app served by real server threads against the test database, with the demo
loaded, driven by one headless Chromium per package.

Two apps share the database and the session key: the public one (APP_ENV=test, as readers see it)
and a development one, on its own port, which alone has the development sign-in that editors use.
Production never routes /auth/dev, so nothing here opens a way in that production has.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask, abort
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from werkzeug.serving import BaseWSGIServer, make_server

from app import create_app
from app.auth.service import demo_users
from app.choosing.models.consultations import Consultation
from app.content.demo import load_demo
from app.councils.models import Council
from app.councils.service import council_by_code
from app.extensions import db
from app.search import indexing
from tests.conftest import app_overrides, empty_database
from tests.factories import create_council, create_pilot

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EXPECTED_STATUS_LOG = "Failed to load resource: the server responded with a status of 400"
EDITOR_NAME = "Priya Shah"  # the demo editor for Kensington and Chelsea (KEC)
DEMO_PEOPLE = {  # who → the demo person (see app/content/demo/people.py)
    "editor": EDITOR_NAME,
    "council-admin": "Alex Morgan",
    "funder": "Jo Bennett",
    "admin": "Registry Admin",
    "panel-member": "Grace Lin",  # on KEC's round open for scoring, not scored yet
}


@dataclass
class Site:
    """Where the public and the development app answer, and the rows the tests look for."""

    public_url: str
    dev_url: str
    public_app: Flask
    slugs: dict[str, str] = field(default_factory=dict)


def _add_test_only_error_routes(app: Flask) -> None:
    """Routes on this test instance only, to show the error pages no real route can be made to."""

    @app.get("/test-only/error/<int:code>")
    def _error(code: int) -> str:
        if code == 500:
            raise RuntimeError("a bug, on purpose")
        if code == 503:
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))
        abort(code)


def demo_consultations() -> dict[str, str]:
    """The demo's consultations by the names pages.py uses: {consultation} (KEC's closed one),
    {open_consultation} (KEC's open one), {wbk_consultation} (West Berkshire's closed one)."""
    ids = {
        (code, status): str(consultation_id)
        for consultation_id, code, status in db.session.execute(
            select(Consultation.id, Council.code, Consultation.status)
            .join(Council, Council.id == Consultation.council_id)
            .order_by(Consultation.id.desc())
        )
    }
    return {
        "consultation": ids["KEC", "closed"],
        "open_consultation": ids["KEC", "open"],
        "wbk_consultation": ids["WBK", "closed"],
    }


def _choosing_ids() -> dict[str, str]:
    """The demo's rounds (decided, scoring, draft, closed), a published idea and a KEC
    idea not yet a pilot, by id."""
    from sqlalchemy import select

    from app.choosing.models import Idea, Round
    from app.councils.models import Council

    by_status = {r.status: str(r.id) for r in db.session.scalars(select(Round))}
    idea = db.session.scalars(select(Idea).where(Idea.published_at.is_not(None))).first()
    # A KEC idea not yet a pilot: the one whose appraisal the demo editor may write.
    open_idea = db.session.scalars(
        select(Idea)
        .join(Council, Council.id == Idea.council_id)
        .where(Council.code == "KEC", Idea.pilot_id.is_(None))
        .order_by(Idea.id)
    ).first()
    return {
        "decided_round": by_status["decided"],
        "scoring_round": by_status["scoring"],
        "draft_round": by_status["draft"],
        "closed_round": by_status["closed"],
        "idea": str(idea.id) if idea else "",
        "open_idea": str(open_idea.id) if open_idea else "",
    }


def _serve(app: Flask) -> tuple[BaseWSGIServer, str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="package")
def site(app: Flask, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = app_overrides(database_url, tmp_path_factory.mktemp("live"))
    settings.pop("SERVER_NAME")
    settings.update(WTF_CSRF_ENABLED=True, SECRET_KEY=secrets.token_hex(32))
    public_app = create_app({**settings, "APP_ENV": "test"})
    _add_test_only_error_routes(public_app)
    dev_app = create_app({**settings, "APP_ENV": "development", "TESTING": False})
    slugs: dict[str, str] = {}
    with public_app.app_context():
        load_demo()
        kec = council_by_code("KEC")
        slugs["draft"] = create_pilot(kec, title="A draft for the browser", status="draft").slug
        slugs["other"] = create_pilot(create_council(code="ZZZ"), title="Someone else's").slug
        slugs["pilot"] = "kec-housing-repairs-triage-simulation"
        slugs["running"] = "kec-parking-permit-renewal-options"
        slugs.update(_choosing_ids())
        slugs.update(demo_consultations())
        sam = next(u for u, _ in demo_users() if u.name == "Sam Green")  # a WBK editor
        slugs["person"], slugs["member"] = str(sam.id), str(sam.memberships[0].id)
        indexing.reindex()  # as `make demo` does: searches are answered by the index from the start
    servers = [_serve(public_app), _serve(dev_app)]
    yield Site(servers[0][1], servers[1][1], public_app, slugs)
    for server, _url in servers:
        server.shutdown()
        server.server_close()
    indexing.close_searchers()  # the servers' threads shared one searcher of the live index
    for flask_app in (public_app, dev_app):
        with flask_app.app_context():
            if flask_app is public_app:
                empty_database()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page, and the script errors, dialogs and CSP violations seen on it."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def open_context(browser: Browser, **options: Any) -> BrowserContext:
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    return context


@contextlib.contextmanager
def journey(browser: Browser, **options: Any) -> Iterator[Page]:
    """A watched page in a context of its own: a journey that ends without failing must have
    met no script error and no dialog; the context is closed however it ends."""
    context = open_context(browser, **options)
    try:
        watched = watch(context.new_page())
        yield watched.page
        assert watched.dialogs == [] and watched.console_errors == []
    finally:
        context.close()


@contextlib.contextmanager
def page_per_person(
    browser: Browser, site: Site, init_script: str | None = None, **options: Any
) -> Iterator[dict[str, Page]]:
    """A page for a reader and one for each demo person, signed in, each in a context of its own
    (`options` for the contexts; `init_script` runs in every document)."""
    contexts = {who: open_context(browser, **options) for who in ("reader", *DEMO_PEOPLE)}
    try:
        pages = {}
        for who, context in contexts.items():
            if init_script:
                context.add_init_script(path=init_script)
            pages[who] = context.new_page()
            if who in DEMO_PEOPLE:
                sign_in_as(pages[who], site, DEMO_PEOPLE[who])
        yield pages
    finally:
        for context in contexts.values():
            context.close()


def watch(page: Page) -> Watched:
    watched = Watched(page)

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    def on_console(message: Any) -> None:
        # A form with errors is answered 400 on purpose; Chromium logs that status, not a script.
        if message.type == "error" and not message.text.startswith(EXPECTED_STATUS_LOG):
            watched.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.console_errors.append(str(error)))
    return watched


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context (no cookies) with JavaScript on."""
    ctx = open_context(browser)
    yield ctx
    ctx.close()


def sign_in_as_editor(page: Page, site: Site) -> None:
    """Use the development sign-in, as a person would."""
    sign_in_as(page, site, EDITOR_NAME)


def sign_in_as(page: Page, site: Site, name: str) -> None:
    """Sign in through the development sign-in as the demo person called `name`."""
    page.goto(f"{site.dev_url}/auth/dev")
    page.get_by_label(re.compile(re.escape(name))).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert f"Signed in as {name}" in page.content()
