"""Helpers for the feed tests: fetch a feed and parse it as a feed reader would."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest

ALL_KINDS = ("atom", "rss")


def parse(response: Any) -> Any:
    """The feed as feedparser sees it, without its own clean-up, so we see exactly what we sent."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    parsed = feedparser.parse(response.data, sanitize_html=False, resolve_relative_uris=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.fixture
def fetch(client: Any) -> Any:
    """fetch(url): GET a feed, check it is well formed, return the parsed feed."""

    def _fetch(url: str) -> Any:
        return parse(client.get(url))

    return _fetch


def tag_id(pilot: Any) -> str:
    return f"tag:localhost,{pilot.created_at:%Y-%m-%d}:pilot/{pilot.id}"
