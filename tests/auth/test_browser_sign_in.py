"""A person signs in with headless Chromium through the real provider's pages, and out again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def test_signing_in_and_out_in_a_browser(served_ctx, browser):
    page = browser.new_page()
    try:
        page.goto(f"{served_ctx.base_url}/auth/sign-in?next=/account")
        page.get_by_role("link", name="Sign in with Council").click()
        page.fill("input[name=login]", "browser@kec.gov.uk")
        page.fill("input[name=password]", "any password")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"{served_ctx.base_url}/account")
        assert page.locator("h1").inner_text() == "Your account"
        assert "browser@kec.gov.uk" in page.content()
        cookie = next(c for c in page.context.cookies() if c["name"] == "session")
        assert cookie["httpOnly"] is True
        assert cookie["sameSite"] == "Lax"

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{served_ctx.base_url}/")  # the click does not wait for the redirect
        assert "You have signed out" in page.content()
        page.goto(f"{served_ctx.base_url}/account")
        assert "/auth/sign-in" in page.url
    finally:
        page.close()
    assert db.session.scalar(select(User)).email == "browser@kec.gov.uk"
