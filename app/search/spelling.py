"""Honest "Did you mean": only a word that is neither in the index nor in a British English
dictionary is replaced, never into a stop word or its opposite, and a suggestion is offered only
when the query it makes finds something (the page says how many).

A word the dictionary knows is a real word the person meant (`offline`, `exclusion`): if no
pilot has it, the answer is pilots with some of the words, not a different question. The
dictionary is Debian's `wbritish` list (`/usr/share/dict/british-english`, about 100,000 words
with British spellings and inflections: `prioritise`, `colour`, `potholes`), installed by
`scripts/ensure-word-list.sh` on `make install` and `make test-deps`; where it is missing,
words are checked against the index alone, as before.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app
from whoosh.analysis import STOP_WORDS

from app.search.query import ParsedQuery

log = logging.getLogger(__name__)
DEFAULT_DICTIONARY = "/usr/share/dict/british-english"
# Words that differ from another by one of these prefixes mean its opposite: offline/online,
# exclusion/inclusion, unpaid/paid, ineligible/eligible, disconnected/connected.
OPPOSITE_PREFIXES = (("off", "on"), ("ex", "in"), ("un", ""), ("in", ""), ("im", ""),
                     ("ir", ""), ("il", ""), ("dis", ""), ("non", ""), ("de", ""))  # fmt: skip
_OPPOSITE_PAIRS = """
before after, increase decrease, more less, urban rural, internal external, public private,
open closed, start stop, accept reject, success failure, proved disproved, old new,
older younger, high low, higher lower, input output, online offline, inclusion exclusion
"""
OPPOSITES = frozenset(frozenset(pair.split()) for pair in _OPPOSITE_PAIRS.split(","))


@dataclass
class Suggestion:
    query: str
    count: int


@cache
def _dictionary(path: str) -> frozenset[str]:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        log.warning("No word list at %s: spelling checks the index alone", path)
        return frozenset()
    return frozenset(line.strip().lower() for line in text.splitlines() if "'" not in line)


def in_dictionary(word: str) -> bool:
    """Whether `word` is a British English word (any case)."""
    path = current_app.config.get("SEARCH_DICTIONARY", DEFAULT_DICTIONARY)
    return word.lower() in _dictionary(path)


def are_opposites(first: str, second: str) -> bool:
    """Whether one word is the other's opposite, by a known pair or a negating prefix."""
    a, b = first.lower(), second.lower()
    if frozenset((a, b)) in OPPOSITES:
        return True
    for x, y in ((a, b), (b, a)):
        for prefix, other in OPPOSITE_PREFIXES:
            if x.startswith(prefix) and other + x[len(prefix) :] == y:
                return True
    return False


def needs_correcting(word: str, has_word: Callable[[str], bool]) -> bool:
    """A word worth a suggestion: not a stop word, a number, a dictionary word or indexed."""
    if word in STOP_WORDS or not word.isalpha() or in_dictionary(word):
        return False
    return not has_word(word)


def did_you_mean(
    parsed: ParsedQuery,
    has_word: Callable[[str], bool],
    suggest: Callable[[str], str | None],
    count: Callable[[ParsedQuery], int],
) -> Suggestion | None:
    """The query with each unknown word replaced by a close known one, if that finds
    anything; `count` says how many pilots a query finds."""
    better = copy.deepcopy(parsed)
    changed = False
    for clause in better.clauses:
        for alternative in clause.alternatives:
            word = alternative.words[0]
            if clause.negated or alternative.is_phrase or not needs_correcting(word, has_word):
                continue
            close = suggest(word)
            if close and close != word and close not in STOP_WORDS:
                if are_opposites(word, close):
                    continue
                alternative.words = [close]
                changed = True
    if not changed:
        return None
    found = count(better)
    return Suggestion(better.text(), found) if found else None
