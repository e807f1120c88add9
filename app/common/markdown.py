"""Markdown to safe HTML with GOV.UK classes: the only place user Markdown becomes markup.

Sanitising happens after rendering, with an allow-list of tags, attributes and URL schemes, so
whatever the input (raw HTML, event handlers, javascript: or data: links) nothing executable
survives. nh3 also sets the GOV.UK classes, overriding any class the author wrote.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown as markdown_lib
import nh3
from markupsafe import Markup

_HEADING = re.compile(r"<(/?)h([1-6])\b")
# Pages own their h1; headings inside user content start at h2.
_HEADING_LEVEL = {"1": "2", "2": "2", "3": "3", "4": "4", "5": "4", "6": "4"}

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
URL_SCHEMES = {"http", "https", "mailto"}
GOVUK_CLASSES = {
    "p": {"class": "govuk-body"},
    "h2": {"class": "govuk-heading-m"},
    "h3": {"class": "govuk-heading-s"},
    "h4": {"class": "govuk-heading-s"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "a": {"class": "govuk-link"},
    "blockquote": {"class": "govuk-inset-text"},
    "hr": {"class": "govuk-section-break govuk-section-break--m govuk-section-break--visible"},
    "table": {"class": "govuk-table"},
    "tr": {"class": "govuk-table__row"},
    "th": {"class": "govuk-table__header"},
    "td": {"class": "govuk-table__cell"},
}


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        set_tag_attribute_values=GOVUK_CLASSES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to sanitised HTML with GOV.UK classes."""
    if not text:
        return Markup("")
    return Markup(_sanitised_html(text))  # noqa: S704 - sanitised by nh3


@lru_cache(maxsize=512)
def _sanitised_html(text: str) -> str:
    # A pure function of the text: cached, since case studies are read far more than written.
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{_HEADING_LEVEL[m.group(2)]}", html)
    return sanitise_html(html)


def plain_text(text: str | None) -> str:
    """Markdown reduced to its words, for search and feed summaries."""
    if not text:
        return ""
    html = markdown_lib.markdown(text)
    return re.sub(r"\s+", " ", nh3.clean(html, tags=set())).strip()
