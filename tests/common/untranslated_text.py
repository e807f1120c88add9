"""Find text in a Jinja template that a person would read but that is not marked for translation.

The template is lexed with the app's own Jinja environment. What lies between the Jinja tags is
HTML: with each tag (and each whole `{% trans %}…{% endtrans %}` block) replaced by a marker,
an HTML parser reads its text nodes and the attributes people see (`alt`, `title`, …). Inside
the tags, string literals are checked where they end up on the page: as the value of a GOV.UK
macro's `text`/`html`/`…Text` parameter, as the `title` a page sets, or as any phrase (words
with spaces) that is not inside `_()`, `gettext()`, `ngettext()` or `url_for()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from jinja2 import Environment

# What the checker lets through: text with no letter in it (numbers, `£`, `·`, `–`) and these.
# The product's name, on every page: a name, kept in Welsh as in English; and UTC, a time zone.
ALLOWED = ("Proving Ground", "UTC")
# strftime directives (`%d %b %Y`): a date's format, not words (the month's name comes from data).
STRFTIME = re.compile(r"%-?[a-zA-Z]")

VISIBLE_ATTRIBUTES = frozenset({"alt", "aria-label", "placeholder", "title", "label"})
# A GOV.UK macro's parameters that reach the page as text or HTML.
VISIBLE_KEY = re.compile(r"^(text|html|caption|title|label|legend|hint|[a-z]+(Text|Html|Label))$")
MARKING_CALLS = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext", "_l", "url_for"})
LETTER = re.compile(r"[^\W\d_]")
WORD = re.compile(r"[^\W\d_]{2,}")
# Space-separated CSS classes: `govuk-body govuk-!-margin-bottom-1`.
CLASS_LIST = re.compile(r"^\s*[\w!]+[-_!][\w!-]*(\s+[\w!]+[-_!][\w!-]*)*\s*$")
COMPARISON = frozenset({"==", "!=", "in"})
MARKER = "\ue000"  # in place of a Jinja tag: not a letter, and valid inside an HTML tag name


@dataclass(frozen=True)
class Unmarked:
    template: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.text!r}"


def _is_language(text: str) -> bool:
    text = STRFTIME.sub(" ", text.replace(MARKER, " "))
    for allowed in ALLOWED:
        text = text.replace(allowed, " ")
    return bool(LETTER.search(text))


def _is_phrase(text: str) -> bool:
    return " " in text.strip() and bool(WORD.search(text)) and not CLASS_LIST.match(text)


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        visible = set(VISIBLE_ATTRIBUTES)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            visible.add("value")
        for name, value in attrs:
            if name in visible and value and _is_language(value):
                self.found.append((self.getpos()[0], value.replace(MARKER, "…")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and _is_language(data):
            text = " ".join(data.replace(MARKER, " … ").split())
            self.found.append((self.getpos()[0], text))


def _strings_shown(tokens: list[tuple[int, str, str]]) -> Iterator[tuple[int, str]]:
    """String literals in one `{{ … }}` or `{% … %}` that reach the page unmarked."""
    words = [value for _, kind, value in tokens if kind == "name"]
    sets_title = words[:2] == ["set", "title"]
    stack: list[str] = []  # open brackets; "mark" for a marking call's parentheses
    visible_at: int | None = None  # the depth at which a visible parameter's value runs
    previous = ""
    for index, (line, kind, value) in enumerate(tokens):
        following = tokens[index + 1][2] if index + 1 < len(tokens) else ""
        if kind == "operator" and value in "([{":
            opened = value
            if value == "(" and previous in MARKING_CALLS:
                opened = "mark"
            elif value == "(" and (previous.isidentifier() or previous in (")", "]")):
                opened = "call"  # a call's arguments (a filter's name, a key) are not shown
            stack.append(opened)
        elif kind == "operator" and value in ")]}":
            if visible_at is not None and len(stack) <= visible_at:
                visible_at = None
            if stack:
                stack.pop()
        elif kind == "operator" and value == "," and visible_at == len(stack):
            visible_at = None
        elif kind == "operator" and value == ":" and VISIBLE_KEY.match(previous.strip("'\"")):
            visible_at = len(stack)
        elif kind == "string" and following != ":" and "mark" not in stack:
            text = value[1:-1]
            argument = visible_at is not None and "call" in stack[visible_at:]
            shown = (visible_at is not None and not argument) or sets_title or _is_phrase(text)
            compared = bool(COMPARISON & {previous, following})  # `action == 'stop'`: a value
            if shown and not compared and _is_language(text) and not text.endswith(".html"):
                yield line, text
        previous = value


def find_unmarked(environment: Environment, source: str, name: str) -> list[Unmarked]:
    """Every piece of text in the template `source` that is not marked for translation."""
    skeleton: list[str] = []
    found: list[Unmarked] = []
    construct: list[tuple[int, str, str]] = []
    in_trans = 0
    for line, kind, value in environment.lex(source):
        if kind == "data":
            skeleton.append("\n" * value.count("\n") if in_trans else value)
            continue
        starts = kind in ("variable_begin", "block_begin", "comment_begin")
        skeleton.append((MARKER if starts else "") + "\n" * value.count("\n"))
        if kind in ("variable_begin", "block_begin"):
            construct = []
        elif kind in ("variable_end", "block_end"):
            names = [v for _, k, v in construct if k == "name"]
            if names[:1] == ["trans"]:
                in_trans += 1
            elif names[:1] == ["endtrans"]:
                in_trans -= 1
            elif not in_trans:
                found.extend(Unmarked(name, ln, text) for ln, text in _strings_shown(construct))
            construct = []
        elif kind not in ("whitespace", "comment_begin", "comment", "comment_end"):
            construct.append((line, kind, value))
    finder = _TextFinder()
    finder.feed("".join(skeleton))
    finder.close()
    found.extend(Unmarked(name, line, text) for line, text in finder.found)
    return sorted(found, key=lambda item: item.line)
