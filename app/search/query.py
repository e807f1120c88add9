"""The query language a person would guess: plain words (all must match), "exact phrases",
-exclusions and OR. Anything else (unbalanced quotes or brackets, stray operators, wildcards,
control characters) is cleaned away, never passed to a parser that could fail on it.

OR binds tighter than the implicit AND, as Google and Whoosh read it: `gritting OR blue badges`
is (gritting OR blue) AND badges. Both backends search what this parser makes of a query
(Whoosh query objects, a PostgreSQL tsquery built clause by clause), so they agree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.common.text import strip_control

MAX_QUERY_LENGTH = 500
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD_PART = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)


class QueryTooLong(ValueError):
    """The query is longer than anyone types; refused rather than searched."""


@dataclass
class Alternative:
    """One word, or a phrase of several words that must appear together in order."""

    words: list[str]
    added: bool = False  # put there by the thesaurus or the compound check, not typed

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def text(self) -> str:
        return f'"{" ".join(self.words)}"' if self.is_phrase else self.words[0]


@dataclass
class Clause:
    """Alternatives joined by OR; all clauses of a query must match (or, negated, must not)."""

    alternatives: list[Alternative]
    negated: bool = False

    def text(self) -> str:
        return ("-" if self.negated else "") + " OR ".join(a.text() for a in self.alternatives)

    def typed(self) -> str:
        """What the person typed for this clause, without quotes: for notices."""
        return " OR ".join(" ".join(a.words) for a in self.alternatives if not a.added)


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def positive_clauses(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    @property
    def positive_words(self) -> list[str]:
        return [w for c in self.clauses if not c.negated for a in c.alternatives for w in a.words]

    def text(self) -> str:
        """The cleaned query, in a form this parser reads back the same way."""
        return " ".join(c.text() for c in self.clauses)


def clean_query(raw: str | None) -> str:
    """Strip control characters and surrounding space; refuse anything over the limit."""
    text = strip_control((raw or "").replace("\x00", "")).replace("\t", " ").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(
            f"Your search is {len(text):,} characters long. Use {MAX_QUERY_LENGTH} characters "
            "or fewer: a few words that would appear in the pilot work best."
        )
    return text


def words_in(text: str) -> list[str]:
    """The words of `text` as the parser reads them: lower case, punctuation dropped."""
    return [w.lower() for w in _WORD_PART.findall(text)]


def parse_query(raw: str | None) -> ParsedQuery:
    """Parse cleaned text into clauses; never raises for any input within the length limit."""
    text = clean_query(raw)
    clauses: list[Clause] = []
    join_next = negate_next = False
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        negated = negate_next
        negate_next = False
        if bare is not None:
            if bare == "OR":
                join_next = bool(clauses) and not clauses[-1].negated
                continue
            if bare in ("AND", "NOT"):
                negate_next = bare == "NOT"
                continue
            if bare.startswith("-") and len(bare) > 1:
                negated, bare = True, bare[1:]
            words = words_in(bare)
        else:
            negated = negated or bool(minus)
            words = words_in(phrase)
        if not words:
            continue
        alternative = Alternative(words)
        if join_next and not negated:
            clauses[-1].alternatives.append(alternative)
        else:
            clauses.append(Clause([alternative], negated=negated))
        join_next = False
    return ParsedQuery(clauses)
