"""Full-text search: one interface (`backend`), the service pages call, and two engines."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Keep the index in step with every commit; a public pilot's page lists similar pilots."""
    from app.pilots import contributions
    from app.search import sync
    from app.search.service import similar_pilots

    sync.install()
    contributions.add_page_section(
        app,
        "sidebar",
        "search/similar-pilots.html",
        lambda pilot: {"similar": similar_pilots(pilot)} if pilot.is_public else None,
    )
