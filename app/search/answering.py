"""How a query is answered, for /search, its feeds and exports alike: never a dead end when
the words exist.

1. The query as typed, with its council words and compounds (expansion.py) unless the person
   asked for their words alone.
2. No pilot has all the wanted words: the pilots with most of them (the backend ranks them:
   more words first, then its score), each with the words it lacks.
3. Nothing has any of them and a word is misspelt: the pilots for the corrected query, said
   so on the page ("Showing pilots for …"); a correction is only ever made where spelling.py
   allows it, so a real word is never turned into another.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from app.search.backend import SearchBackend, SearchRequest, SearchResults
from app.search.expansion import Expansion, current_thesaurus, expand
from app.search.query import Clause, ParsedQuery, parse_query
from app.search.spelling import Suggestion, did_you_mean


@dataclass
class Answer:
    """A query as searched and what the backend found."""

    results: SearchResults
    expansion: Expansion
    some_words: bool = False  # no pilot had them all: these have some
    suggestion: Suggestion | None = None  # a better spelling, offered as a link
    corrected: Suggestion | None = None  # nothing matched: these are the corrected query's

    def missing_words(self) -> dict[int, list[str]]:
        """Pilot id → what the person typed that the pilot lacks."""
        clauses = self.expansion.query.positive_clauses
        return {
            pilot_id: [clauses[i].typed() for i in lacking]
            for pilot_id, lacking in self.results.missing.items()
        }

    def typed_clauses(self) -> list[str]:
        """What was typed, clause by clause, when only some of it was found (the notice)."""
        if not self.some_words:
            return []
        return [clause.typed() for clause in self.expansion.query.positive_clauses]


def answer(
    backend: SearchBackend, request: SearchRequest, exact: bool = False, correct: bool = True
) -> Answer:
    """Search as the module docstring says. Raises IndexUnavailable for the caller's fallback
    (a plain database search)."""
    parsed = request.query
    expansion = Expansion(parsed)
    if not exact and not parsed.is_empty:
        expansion = expand(parsed, current_thesaurus(), backend.has_word)
    searched = dataclasses.replace(request, query=expansion.query)
    results = backend.search(searched)
    if results.total or parsed.is_empty:
        return Answer(results, expansion)

    def count(query: ParsedQuery) -> int:
        counted = dataclasses.replace(request, query=query, per_page=1, with_facets=False)
        return backend.search(counted).total

    suggestion = did_you_mean(parsed, backend.has_word, backend.suggest, count)
    if len(expansion.query.positive_clauses) > 1:
        some = backend.search(dataclasses.replace(searched, some_words=True))
        if some.total:
            return Answer(some, expansion, some_words=True, suggestion=suggestion)
    if suggestion is not None and correct:
        better = dataclasses.replace(request, query=parse_query(suggestion.query))
        found = answer(backend, better, exact, correct=False)
        if found.results.total:
            found.corrected = suggestion
            return found
    return Answer(results, expansion, suggestion=suggestion)


def marked_words(found: Answer) -> ParsedQuery:
    """What snippets mark: with some of the words, each wanted word wherever it is."""
    query = found.expansion.query
    if not found.some_words:
        return query
    return ParsedQuery([Clause([a for c in query.positive_clauses for a in c.alternatives])])
