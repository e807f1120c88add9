"""Council words and compounds: what a query also searches for, decided at query time.

The thesaurus is `content/search/synonyms.txt`: one group of words that mean the same to an
officer a line (`bins, refuse, waste collection`). A word or run of words the person typed that
is a member of a group is searched as any member of it, each a phrase if it has several words.
It is read at query time, not at index time, so an edit needs no reindex: the file is read
again when it changes, and cached pages are filed under its version.

Compounds: two plain words typed side by side are also tried joined (`chat bot` → chatbot), and
a hyphenated or quoted pair (`e-mail`, which the parser reads as the phrase "e mail") joined
too, when the joined form is a word the index holds; nothing is tried that would find nothing.

Words are compared by their English stems (the index's own stemmer), so `bin` and `bins`, or
`older resident` and `older residents`, are the same member.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from whoosh.analysis import STOP_WORDS
from whoosh.lang import stemmer_for_language

from app.search.query import Alternative, Clause, ParsedQuery, words_in

_stem = stemmer_for_language("en")
MAX_JOINED_WORDS = 3  # "e-mail", "wi-fi", "co-design"; not whole sentences in quotes

Key = tuple[str, ...]
HasWord = Callable[[str], bool]


def _key(words: list[str] | Key) -> Key:
    return tuple(_stem(word) for word in words)


@dataclass
class Thesaurus:
    """Groups of members (each a list of words), and each member's stems → its groups."""

    groups: list[list[list[str]]] = field(default_factory=list)
    members: dict[Key, list[int]] = field(default_factory=dict)
    longest: int = 1  # words in the longest member: how far ahead a match can reach

    @classmethod
    def parse(cls, text: str) -> Thesaurus:
        """One group a line, members separated by commas; `#` starts a comment."""
        thesaurus = cls()
        for line in text.splitlines():
            line = line.split("#", 1)[0]
            group = [words for words in map(words_in, line.split(",")) if words]
            if len(group) < 2:
                continue
            number = len(thesaurus.groups)
            thesaurus.groups.append(group)
            for member in group:
                thesaurus.members.setdefault(_key(member), []).append(number)
                thesaurus.longest = max(thesaurus.longest, len(member))
        return thesaurus

    def synonyms(self, words: list[str]) -> list[list[str]]:
        """The other members of every group `words` belongs to, each once."""
        seen = {_key(words)}
        found = []
        for number in self.members.get(_key(words), []):
            for member in self.groups[number]:
                if _key(member) not in seen:
                    seen.add(_key(member))
                    found.append(member)
        return found


_loaded: dict[Path, tuple[tuple[int, int], Thesaurus]] = {}


def thesaurus_path() -> Path:
    return Path(current_app.config["CONTENT_DIR"]) / "search" / "synonyms.txt"


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def thesaurus_version() -> str:
    """Changes when the thesaurus file does: for pages that show search results."""
    modified, size = _stamp(thesaurus_path())
    return f"{modified}-{size}"


def current_thesaurus() -> Thesaurus:
    """The thesaurus as the file now says; read again only when the file changed."""
    path = thesaurus_path()
    stamp = _stamp(path)
    cached = _loaded.get(path)
    if cached is None or cached[0] != stamp:
        text = path.read_text(encoding="utf-8") if os.path.exists(path) else ""
        cached = _loaded[path] = (stamp, Thesaurus.parse(text))
    return cached[1]


@dataclass
class Expansion:
    """The query as searched, and what was searched for besides what was typed."""

    query: ParsedQuery
    also: list[str] = field(default_factory=list)


def _plain(clause: Clause) -> bool:
    """A clause of one word or phrase, wanted: the only kind a synonym or compound replaces."""
    return not clause.negated and len(clause.alternatives) == 1


def _words_of(clauses: list[Clause]) -> list[str]:
    return [word for clause in clauses for word in clause.alternatives[0].words]


def _longest_member(clauses: list[Clause], start: int, thesaurus: Thesaurus) -> int:
    """How many clauses from `start` spell a thesaurus member (longest first); 0 if none."""
    end = start
    while end < len(clauses) and end - start < thesaurus.longest and _plain(clauses[end]):
        end += 1
    for stop in range(end, start, -1):
        words = _words_of(clauses[start:stop])
        if len(words) <= thesaurus.longest and _key(words) in thesaurus.members:
            return stop - start
    return 0


def _joined(first: Clause, second: Clause | None) -> list[str] | None:
    """The words `first` (with `second`, two plain words) would join into a compound from."""
    words = first.alternatives[0].words
    if second is not None and _plain(second) and len(words) == 1:
        words = words + second.alternatives[0].words
        if len(words) != 2:
            return None
    if not 2 <= len(words) <= MAX_JOINED_WORDS or any(w in STOP_WORDS for w in words):
        return None
    return words


def expand(parsed: ParsedQuery, thesaurus: Thesaurus, has_word: HasWord) -> Expansion:
    """The query with each thesaurus member it contains searched as any of its group, and
    compounds joined where the index holds the joined word; the typed words always stay."""
    clauses = copy.deepcopy(parsed.clauses)
    result = Expansion(ParsedQuery())
    start = 0
    while start < len(clauses):
        clause = clauses[start]
        if not _plain(clause):
            result.query.clauses.append(clause)
            start += 1
            continue
        width = _longest_member(clauses, start, thesaurus)
        joined: list[str] | None = None
        if width == 0:
            following = clauses[start + 1] if start + 1 < len(clauses) else None
            words = _joined(clause, following)
            if words and has_word("".join(words)):
                joined = words
                width = 2 if len(clause.alternatives[0].words) == 1 else 1
        width = width or 1
        typed = _words_of(clauses[start : start + width])
        merged = Clause([Alternative(typed)])
        if joined is not None:
            merged.alternatives.append(Alternative(["".join(joined)], added=True))
            result.also.append("".join(joined))
        for member in thesaurus.synonyms(typed if joined is None else ["".join(joined)]):
            merged.alternatives.append(Alternative(member, added=True))
            result.also.append(" ".join(member))
        result.query.clauses.append(merged)
        start += width
    return result
