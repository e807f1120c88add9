"""Ranking by relevance for plain words (one word, or several that must all match).

Whoosh scores each matching document through a chain of Python matcher, scorer and collector
calls, about 20 µs a document under cProfile; a common word matches most pilots, and a deep
page or a filter stops it skipping any. Here a word's postings are read a block at a time
(decompressed and unpickled in C, ids rebuilt with `accumulate`), every document is scored
with Whoosh's own BM25F sums in one list comprehension, and `heapq.nlargest` picks the page.
Scores and their order are Whoosh's: the same idf, average length and quantised field
lengths, and ties go to the lower document number as in Whoosh's collector.

Each document's length norm is worked out once per segment and index size, and kept until
either changes, like the facet bitmaps; nothing about a query is kept.
"""

from __future__ import annotations

import bisect
import heapq
from itertools import accumulate, repeat
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

Postings = tuple[list[int], list[float]]  # document numbers (whole index) and term weights


def _segment_key(reader: Any) -> Any:
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else id(reader)


def _leaf_postings(reader: Any, field: str, text: str) -> Postings:
    """One segment's postings for a term, deleted documents included (the caller drops them)."""
    btext = text.encode("utf-8")
    if (field, btext) not in reader:
        return [], []
    matcher = reader._terms.matcher(field, btext, reader.schema[field].format)
    if not isinstance(matcher, W3LeafMatcher):
        ids: list[int] = []
        weights: list[float] = []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return ids, weights
    ids, weights = [], []
    while True:
        matcher._read_data()
        block_ids, block_weights = matcher._data[0], matcher._data[1]
        ids.extend(accumulate(block_ids))  # ids are stored as gaps
        count = len(block_ids)
        if block_weights is None:
            weights.extend(repeat(1.0, count))
        elif isinstance(block_weights, float):
            weights.extend(repeat(block_weights, count))
        else:
            weights.extend(block_weights)
        if matcher._lastblock:
            return ids, weights
        matcher._goto(matcher._nextoffset)


class Ranker:
    """Scores for plain-word queries on one searcher's index; field lengths kept per segment."""

    def __init__(self, field: str) -> None:
        self.field = field
        # (segment, average field length) → each document's length norm; a save changes the
        # average, so the big segment's norms are worked out again (about 0.5 µs a document).
        self._norms: dict[Any, list[float]] = {}

    def usable(self, searcher: Searcher) -> bool:
        return type(searcher.weighting) is BM25F and self.field not in searcher.weighting._field_B

    def _leaves(self, searcher: Searcher, average: float) -> list[tuple[Any, int, list[float]]]:
        """Each segment's reader and offset, and its documents' BM25 length norms."""
        weighting: Any = searcher.weighting
        b, k1 = weighting.B, weighting.K1
        found = []
        seen = set()
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            key = (_segment_key(reader), average)
            seen.add(key)
            norms = self._norms.get(key)
            if norms is None:
                # The part of Whoosh's bm25() that depends only on the document and the index.
                norms = self._norms[key] = [
                    k1 * ((1 - b) + b * reader.doc_field_length(n, self.field, 1) / average)
                    for n in range(reader.doc_count_all())
                ]
            found.append((reader, offset, norms))
        for key in set(self._norms) - seen:
            del self._norms[key]
        return found

    def matches(self, searcher: Searcher, texts: list[str]) -> dict[int, float]:
        """Documents (whole-index numbers, in order) holding every one of `texts`, scored."""
        k1_1 = searcher.weighting.K1 + 1  # type: ignore[attr-defined]
        idfs = [searcher.idf(self.field, text) for text in texts]
        average = searcher.avg_field_length(self.field) or 1
        found: dict[int, float] = {}
        for reader, offset, norms in self._leaves(searcher, average):
            deleted = reader.deleted_docs_set if reader.has_deletions() else ()
            per_word = []
            for text, idf in zip(texts, idfs, strict=True):
                ids, weights = _leaf_postings(reader, self.field, text)
                # Whoosh's bm25(), operation for operation, so the floats come out the same.
                per_word.append(
                    {
                        offset + n: idf * ((tf * k1_1) / (tf + norms[n]))
                        for n, tf in zip(ids, weights, strict=True)
                        if n not in deleted
                    }
                )
            if len(per_word) == 1:
                found.update(per_word[0])
            else:
                # Whoosh builds each segment's matcher tree from that segment's frequencies.
                sizes = [reader.doc_frequency(self.field, text) for text in texts]
                found.update(_sum_as_whoosh(per_word, sizes))
        return found


def _sum_as_whoosh(per_word: list[dict[int, float]], sizes: list[int]) -> dict[int, float]:
    """Documents in every one of `per_word`, their word scores added as Whoosh's And does.

    Whoosh pairs the two words with most documents first, then the pair with the next, like a
    Huffman tree; floating-point sums in another order can differ in the last bit and swap
    documents with all but equal scores."""
    trees: list[tuple[int, int, Any]] = sorted(
        (-size, n, per_word[n]) for n, size in enumerate(sizes)
    )
    order = len(trees)
    while len(trees) > 1:
        (wa, _, a), (wb, _, b) = trees.pop(0), trees.pop(0)
        pair = (a, b)
        bisect.insort(trees, (wa + wb, order, pair))
        order += 1
    tree = trees[0][2]

    def score(node: Any, n: int) -> float:
        if isinstance(node, dict):
            return float(node[n])
        return score(node[0], n) + score(node[1], n)

    fewest = min(per_word, key=len)
    return {n: score(tree, n) for n in fewest if all(n in word for word in per_word)}


def top(scored: dict[int, float], allowed: set[int] | None, count: int) -> tuple[list[int], int]:
    """The best `count` document numbers and how many matched.

    `scored` is in document order, and nlargest keeps the earlier of equal scores: ties go to
    the lower document number, as in Whoosh."""
    if allowed is not None:
        scored = {n: s for n, s in scored.items() if n in allowed}
    return heapq.nlargest(count, scored, key=scored.__getitem__), len(scored)
