"""Pilots with most of the words, for when none has them all (no dead ends).

Each wanted clause's matches are scored on their own by the ranker (a word or a phrase; a
clause of alternatives takes its best-scoring one), then added up per document: a document
scores WEIGHT for each clause it has, plus its BM25F scores, so those with more of the words
come first and the ranker orders those with as many. A BM25F score is far below WEIGHT (its
idf is at most log(N) ≈ 12 at 100,000 pilots, times k1 + 1, a word, and a title counts three
times), so a document never overtakes one with a clause more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from whoosh.query import And, AndNot, Every, Or, Query
from whoosh.searching import Searcher

from app.search.backend import SearchRequest, SearchResults
from app.search.whoosh.compiling import any_of, compile_clause
from app.search.whoosh.ranking import Ranker, top

WEIGHT = 10_000.0


def _part_scores(ranker: Ranker, searcher: Searcher, part: Query) -> dict[int, float]:
    """A word's or a phrase's matches scored by the ranker, times its boost."""
    boost = part.boost
    scored = ranker.scores(searcher, part.with_boost(1.0) if boost != 1 else part)
    if scored is None:  # not a plain word or phrase: matched, unscored
        return dict.fromkeys(searcher.docs_for_query(part), 0.0)
    return {n: score * boost for n, score in scored.items()} if boost != 1 else scored


def clause_scores(ranker: Ranker, searcher: Searcher, query: Query) -> dict[int, float]:
    """The documents one clause matches, each with its best alternative's score."""
    parts: list[Any] = list(query.subqueries) if isinstance(query, Or) else [query]
    found: dict[int, float] = {}
    for part in parts:
        scored = _part_scores(ranker, searcher, part)
        if not found:
            found = dict(scored)
            continue
        for n, score in scored.items():
            if score > found.get(n, -1.0):
                found[n] = score
    return found


def all_clauses_scores(ranker: Ranker, searcher: Searcher, query: Query) -> dict[int, float]:
    """Every match of a whole query (clauses ANDed, some negated) with its clauses' scores
    added: the ranker's way for queries with OR or the thesaurus's words, which Whoosh would
    score document by document through its matchers."""
    excluded: set[int] = set()
    if isinstance(query, AndNot):
        excluded = set(searcher.docs_for_query(query.b))
        query = query.a
    if isinstance(query, Every):
        return dict.fromkeys(set(searcher.docs_for_query(query)) - excluded, 0.0)
    parts: list[Any] = list(query.subqueries) if isinstance(query, And) else [query]
    per_clause = sorted((clause_scores(ranker, searcher, p) for p in parts), key=len)
    found = {n: s for n, s in per_clause[0].items() if n not in excluded}
    for scores in per_clause[1:]:
        found = {n: s + scores[n] for n, s in found.items() if n in scores}
    return found


def score_some_words(
    ranker: Ranker, searcher: Searcher, wanted: list[Query | None], unwanted: Query | None
) -> tuple[dict[int, float], list[dict[int, float]]]:
    """Every document with at least one wanted clause and none of the unwanted, scored as
    above; and each clause's own matches (to say which words a result lacks)."""
    per_clause = [{} if q is None else clause_scores(ranker, searcher, q) for q in wanted]
    excluded = set(searcher.docs_for_query(unwanted)) if unwanted is not None else set()
    combined: dict[int, float] = {}
    for scores in per_clause:
        # Comprehensions and set operations rather than a loop with .get(): half the time.
        both = combined.keys() & scores.keys()
        combined.update({n: combined[n] + WEIGHT + scores[n] for n in both})
        combined.update({n: WEIGHT + scores[n] for n in scores.keys() - both})
    for n in excluded.intersection(combined):
        del combined[n]
    return combined, per_clause


def search_some_words(
    analyzer: Any,
    ranker: Ranker,
    searcher: Searcher,
    request: SearchRequest,
    allowed: set[int] | None,
    facets_of: Callable[[dict[int, float]], dict[str, dict[str, int]]],
) -> SearchResults:
    """One page of pilots with most of the wanted clauses, and the clauses each lacks."""
    if not ranker.usable(searcher):  # an empty index
        return SearchResults(pilot_ids=[], total=0)
    clauses = request.query.clauses
    wanted = [compile_clause(analyzer, ranker, c) for c in clauses if not c.negated]
    unwanted = [compile_clause(analyzer, ranker, c) for c in clauses if c.negated]
    excluded = any_of([q for q in unwanted if q is not None])
    scored, per_clause = score_some_words(ranker, searcher, wanted, excluded)
    end = request.page * request.per_page
    best, total = top(scored, allowed, end)
    shown = best[end - request.per_page : end]
    ids = ranker.pilot_ids(searcher, shown)
    missing = {
        pilot_id: [i for i, found in enumerate(per_clause) if n not in found]
        for pilot_id, n in zip(ids, shown, strict=True)
    }
    return SearchResults(pilot_ids=ids, total=total, facets=facets_of(scored), missing=missing)
