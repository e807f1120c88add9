"""Pages written in Markdown under content/pages/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from markupsafe import Markup

from app.common.frontmatter import read_front_matter
from app.common.markdown import render_markdown

PAGE_SLUG = re.compile(r"^[a-z0-9-]{1,60}$")


@dataclass(frozen=True)
class ContentPage:
    slug: str
    title: str
    summary: str
    body: Markup


def content_page(slug: str) -> ContentPage | None:
    """The page content/pages/<slug>.md, or None when there is no such page."""
    if not PAGE_SLUG.match(slug):
        return None
    path = Path(current_app.config["CONTENT_DIR"]) / "pages" / f"{slug}.md"
    if not path.is_file():
        return None
    meta, body = read_front_matter(path)
    return ContentPage(
        slug=slug,
        title=meta.get("title", slug.replace("-", " ").capitalize()),
        summary=meta.get("summary", ""),
        body=render_markdown(body),
    )
