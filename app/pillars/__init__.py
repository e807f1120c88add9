"""The six pillars: their names and guidance, and the pilots under each."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Templates show a pillar's name from its slug (`slug | pillar_name`)."""
    from app.pillars.service import pillar_names

    @app.template_filter("pillar_name")
    def _pillar_name(slug: str) -> str:
        return pillar_names().get(slug, slug)
