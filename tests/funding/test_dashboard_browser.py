"""The dashboard in headless Chromium, with JavaScript on and off: the same charts and figures."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app.content.demo import load_demo
from tests.conftest import reset_database
from tests.factories import create_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium"),
]


@dataclass
class Served:
    url: str
    cookie: dict[str, str]
    browser: Any


@pytest.fixture(scope="module")
def served(app: Flask) -> Iterator[Served]:
    """The demo, loaded once for both runs (they only read it), served on loopback to one
    Chromium, with a funder's session cookie."""
    from playwright.sync_api import sync_playwright

    with app.app_context():
        load_demo()
        funder = create_user("funder")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
                yield Served(url, {**session_cookie(app, funder), "url": url}, browser)
                browser.close()
        finally:
            server.shutdown()
            thread.join()
            server.server_close()
            reset_database(app)


def session_cookie(app, user) -> dict[str, str]:
    from app.auth.sessions import SESSION_KEY, issue_session_token

    token = issue_session_token(user)  # a real server-side session, as a sign-in makes
    value = app.session_interface.get_signing_serializer(app).dumps({SESSION_KEY: token})
    return {"name": app.config["SESSION_COOKIE_NAME"], "value": value}


@pytest.mark.parametrize("javascript", [True, False])
def test_dashboard_reads_the_same_with_and_without_javascript(served: Served, javascript):
    context = served.browser.new_context(java_script_enabled=javascript)
    try:
        context.add_cookies([served.cookie])
        page = context.new_page()
        response = page.goto(f"{served.url}/funding/dashboard")
        assert response is not None and response.status == 200
        assert page.locator("h1").inner_text() == "Funder's dashboard"
        charts = page.locator("svg.app-chart[role=img]")
        assert charts.count() == 5
        for index in range(5):
            box = charts.nth(index).bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 50
        status_table = page.locator("table[data-table=by-status]")
        assert status_table.is_visible()
        assert "Running" in status_table.inner_text()
        overdue = page.locator("#overdue").inner_text()
        assert "Webchat for reporting estate repairs" in overdue  # extensions honoured
        # The filter form works as a plain GET form.
        page.select_option("#filter-programme", "test-small-learn-fast")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**programme=test-small-learn-fast**")
        assert "Test Small, Learn Fast" in page.locator(".govuk-caption-l").first.inner_text()
    finally:
        context.close()
