"""Rendered feeds, and rendered entries, kept in memory so unchanged ones are never rebuilt."""

from __future__ import annotations

from app.common.caching.rendered_cache import RenderedCache, app_cache


def rendered_feeds() -> RenderedCache:
    """This app's cache of whole feeds, by feed, format and site address."""
    return app_cache("feeds_cache")


def rendered_entries() -> RenderedCache:
    """This app's cache of entries' HTML: one edit re-renders one entry, not fifty."""
    return app_cache("feeds_entry_cache")
