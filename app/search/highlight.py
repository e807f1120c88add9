"""Snippets: a window of the pilot's text around the words that matched, as pieces the
template escapes one by one and wraps in <mark> itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from app.search.backend import Snippet

_WORD = re.compile(r"\w+")
WINDOW_BEFORE = 80
WINDOW_AFTER = 170
MAX_FRAGMENTS = 2


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(0, start - WINDOW_BEFORE)
    right = min(len(text), end + WINDOW_AFTER)
    if left > 0:
        space = text.find(" ", left)
        left = space + 1 if 0 <= space < start else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space > end else right
    return left, right


def _candidates(text: str, prefixes: set[str]) -> Iterator[re.Match[str]]:
    """The words of `text`, or for ASCII text only those starting like one of `prefixes`.

    Looking at every word in Python cost about 1.5 ms a case study; a regular expression
    passes over the rest in C. Every word it skips fails the caller's prefix test anyway."""
    if not text.isascii() or not all(p.isascii() for p in prefixes):
        return _WORD.finditer(text)
    starts = "|".join(sorted((re.escape(p) for p in prefixes), key=len, reverse=True))
    return re.finditer(rf"(?<!\w)(?:{starts})\w*", text, re.IGNORECASE | re.ASCII)


def snippet(text: str, stems: set[str], stem: Callable[[str], str]) -> Snippet | None:
    """Up to two fragments of `text` around words whose stem is in `stems`; None if none."""
    prefixes = {s[:3] for s in stems}
    matches: list[tuple[int, int]] = []
    for match in _candidates(text, prefixes):
        word = match.group().lower()
        # Stemming is slow; only words that could share a stem with a query word are stemmed.
        if word[:3] in prefixes and stem(word) in stems:
            matches.append(match.span())
    if not matches:
        return None
    fragments: list[tuple[int, int]] = []
    for start, end in matches:
        if fragments and start < fragments[-1][1]:
            continue
        if len(fragments) == MAX_FRAGMENTS:
            break
        fragments.append(_window(text, start, end))
    pieces: Snippet = []
    for number, (left, right) in enumerate(fragments):
        if number or left > 0:
            pieces.append(("… ", False))
        position = left
        for start, end in matches:
            if start >= left and end <= right:
                if start > position:
                    pieces.append((text[position:start], False))
                pieces.append((text[start:end], True))
                position = end
        pieces.append((text[position:right], False))
    if fragments[-1][1] < len(text):
        pieces.append((" …", False))
    return pieces
