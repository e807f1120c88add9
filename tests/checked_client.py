"""A test client that checks every HTML page it fetches, as notifications-admin does: exactly one
h1, a <title> that starts with the h1's text, and no duplicate ids."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient


class PageStructure(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1s: list[str] = []
        self.title = ""
        self.ids: Counter[str] = Counter()
        self._in: str | None = None
        self._text: list[str] = []
        self._svg_depth = 0  # an SVG's <title> names the chart, not the page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1
        if tag == "svg":
            self._svg_depth += 1
        if tag == "h1" or (tag == "title" and not self._svg_depth):
            self._in, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg_depth:
            self._svg_depth -= 1
        if tag == self._in:
            text = " ".join("".join(self._text).split())
            if tag == "h1":
                self.h1s.append(text)
            else:
                self.title = text
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)


@lru_cache(maxsize=512)
def page_problems(html: str) -> tuple[str, ...]:
    """Remembered by the page's text: a walk meets the same page (an error page above all)
    thousands of times, and the same text has the same problems."""
    parser = PageStructure()
    parser.feed(html)
    problems = []
    if len(parser.h1s) != 1:
        problems.append(f"expected exactly one h1, found {len(parser.h1s)}: {parser.h1s}")
    else:
        title = parser.title.removeprefix("Error: ")
        if not title.startswith(parser.h1s[0]):
            problems.append(f"<title> {parser.title!r} does not start with h1 {parser.h1s[0]!r}")
    duplicates = [i for i, n in parser.ids.items() if n > 1]
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    return tuple(problems)


class CheckedClient(FlaskClient):
    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and response.status_code != 304:
            body = response.get_data(as_text=True)
            if not body.lstrip()[:15].lower().startswith("<!doctype html"):
                return response  # a fragment for another site's page (a council's widget)
            problems = page_problems(body)
            assert not problems, f"{response.request.path}: {'; '.join(problems)}"
        return response
