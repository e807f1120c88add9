"""Similar pilots ("more like this") scored by the project's ranker, not Whoosh's matchers.

A pilot page asks for the pilots that best match twelve key terms of its title, hypothesis and
tags (Whoosh's Bo1 model picks them, as `Searcher.more_like` would). Whoosh answered through an
Or of boosted Terms: a tree of union matchers that scores every document holding any of the
terms, about 20 µs a document in Python calls; the key terms of a pilot's text include common
words, so at 100,000 pilots that was most of the index and 3.5 s a page. Here each term's
postings are read a block at a time by ranking.py and scored with Whoosh's own BM25F sums, times
the term's boost; the union adds them in the order of Whoosh's weighted tree (the two terms
with fewest documents first), so the floats come out as Whoosh's, and ties go to the lower
document number as in Whoosh's collector.
"""

from __future__ import annotations

import bisect
from typing import Any

from whoosh.searching import Searcher

from app.search.whoosh.ranking import Ranker, _bm25, _leaf_postings, top

Scores = dict[int, float]  # a segment's document number → score


def _union(a: Scores, b: Scores) -> Scores:
    """Whoosh's UnionMatcher: a document in both gets the sum, otherwise its one score."""
    if len(a) < len(b):
        a, b = b, a
    merged = dict(a)
    for n, score in b.items():
        merged[n] = merged[n] + score if n in merged else score
    return merged


def _weighted_union(scored: list[tuple[int, int, Scores]]) -> Scores:
    """The terms' scores added as Whoosh's `make_weighted_tree` pairs them: the two lightest
    (fewest documents) first, the pair put back by its combined weight."""
    trees = sorted(scored)
    order = max((n for _, n, _ in trees), default=0) + 1  # a pair's place among equal weights
    while len(trees) > 1:
        (wa, _, a), (wb, _, b) = trees.pop(0), trees.pop(0)
        bisect.insort(trees, (wa + wb, order, _union(a, b)))
        order += 1
    return trees[0][2] if trees else {}


def similar_documents(
    ranker: Ranker,
    searcher: Searcher,
    terms: list[tuple[str, float]],
    excluded: set[int],
    limit: int,
) -> list[int]:
    """The `limit` best document numbers (whole index) for the boosted terms, best first,
    leaving out the documents in `excluded`."""
    field = ranker.field
    k1_1 = searcher.weighting.K1 + 1  # type: ignore[attr-defined]
    average = searcher.avg_field_length(field) or 1
    idfs = {text: searcher.idf(field, text) for text, _ in terms}
    found: dict[int, float] = {}
    for reader, offset, norms, lists in ranker._leaves(searcher, average):
        deleted: Any = reader.deleted_docs_set if reader.has_deletions() else ()
        scored = []
        for order, (text, boost) in enumerate(terms):
            ids, weights = _leaf_postings(reader, field, text, lists)
            if not len(ids):
                continue
            scores = _bm25(ids, weights, idfs[text], k1_1, norms)
            if boost != 1:  # Whoosh wraps a boosted term's matcher: score × boost
                scores = [score * boost for score in scores]
            by_doc = dict(zip(ids, scores, strict=True))
            for n in deleted:
                by_doc.pop(n, None)
            scored.append((reader.doc_frequency(field, text), order, by_doc))
        for n, score in _weighted_union(scored).items():
            found[n + offset] = score
    for n in excluded:
        found.pop(n, None)
    best, _ = top(found, None, limit)
    return best
