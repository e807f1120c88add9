from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.common.markdown import plain_text, render_markdown
from tests.common.xss_corpus import XSS_CORPUS

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "form", "svg", "img", "meta", "base", "link", "style",
    "input", "button", "select", "video", "audio", "source", "template", "math", "body",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "srcdoc"}


class ExecutableMarkup(HTMLParser):
    """Collects every tag, handler or URL in rendered HTML that could run script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag} {name}=")
            scheme = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and scheme.startswith(("javascript:", "vbscript:", "data:")):
                self.found.append(f"{tag} {name}={value}")


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_nothing_executable_survives(payload):
    html = str(render_markdown(payload))
    parser = ExecutableMarkup()
    parser.feed(html)
    assert parser.found == [], html
    assert "<script" not in html.lower()


def test_markdown_gets_govuk_classes_and_headings_start_at_h2():
    html = str(
        render_markdown("# Top\n\nSome *text* and [a link](https://example.org).\n\n- one\n- two")
    )
    assert '<h2 class="govuk-heading-m">Top</h2>' in html
    assert '<p class="govuk-body">' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert 'class="govuk-link"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "<h1" not in html


def test_author_classes_are_replaced():
    html = str(render_markdown('<p class="evil">x</p>'))
    assert "evil" not in html


def test_plain_text_strips_markup():
    assert plain_text("## Hello\n\n<b>bold</b> *there*") == "Hello bold there"
