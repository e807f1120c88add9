"""What is cached, where, and what makes it stale.

- **Public pages** (`page_cache.cached_page`): whole rendered HTML pages, per worker process, for
  anonymous GETs only. Each is filed under a stamp: the content generation, today's date, and any
  source a page adds (the search index version for "similar pilots", the pillar content files).
- **The content generation** (`generation`, its row in `models`): a token in the database that
  every writing transaction changes inside itself (`before_commit`), so every worker and server
  sees it at the moment of commit. Writes no public page shows leave it alone: sessions, the
  audit log, and whatever a domain declares with `private_when()` (draft pilots). On PostgreSQL
  each worker learns a new token by LISTEN/NOTIFY (`listener`) instead of asking per request.
- **Feeds and feed entries** (`app.feeds.cache`, on `rendered_cache`): rendered bytes per worker,
  filed under the feed's ETag or the entry's pilot and council change times.
- `rendered_cache` is the bounded, least-recently-used store all three sit on.

A cached item is stale when its stamp differs from the current one: any public write, midnight,
a reindex, or an edited pillar file. Nothing is ever emptied by hand; a new stamp simply misses.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Serve cached pages, and keep the content generation in step with every write."""
    from app.common.caching import page_cache

    page_cache.init_app(app)
