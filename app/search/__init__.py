"""Full-text search: one interface (`backend`), the service pages call, and two engines."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Keep the index in step with every commit."""
    from app.search import sync

    sync.install()
