"""Slugs never take a word the routes use for a page of their own (/pilots/new)."""

from __future__ import annotations

from app import create_app
from app.common.slugs import free_slug, words_the_routes_use
from tests.conftest import app_overrides


def test_the_reserved_words_come_from_the_url_map(app_ctx):
    assert words_the_routes_use("/pilots/") == {"new"}
    assert words_the_routes_use("/funding/programmes/") == {"new"}


def test_a_new_route_reserves_its_word(database_url, tmp_path):
    application = create_app(app_overrides(database_url, tmp_path))
    application.add_url_rule("/pilots/compare", "compare", lambda: "")
    with application.app_context():
        assert words_the_routes_use("/pilots/") == {"new", "compare"}
        assert free_slug("Compare", "pilot", "/pilots/", lambda slug: False) == "compare-pilot"


def test_a_taken_slug_gets_the_next_number(app_ctx):
    taken = {"bins", "bins-2"}
    assert free_slug("Bins!", "pilot", "/pilots/", taken.__contains__) == "bins-3"
    assert free_slug("!!!", "pilot", "/pilots/", taken.__contains__) == "pilot"
