"""Ranking by relevance for plain words (one word, or several that must all match) and phrases.

Whoosh scores each matching document through a chain of Python matcher, scorer and collector
calls, about 20 µs a document under cProfile; a common word matches most pilots, and a deep
page or a filter stops it skipping any. Here a word's postings are read a block at a time
(decompressed and unpickled in C, ids rebuilt with `accumulate`), every document is scored
with Whoosh's own BM25F sums in one list comprehension, and `heapq.nlargest` picks the page.
Scores and their order are Whoosh's: the same idf, average length and quantised field
lengths, and ties go to the lower document number as in Whoosh's collector.

A phrase is found from the raw position keys beside each segment (phrases.py) and
scored as Whoosh scores it: its words' BM25F scores added in the order of `make_binary_tree`.

Each segment's field lengths are read once and kept until the segment goes away, like the
facet bitmaps, and its length norms until the average length changes; nothing about a query
is kept.
"""

from __future__ import annotations

import bisect
import heapq
from array import array
from itertools import accumulate, repeat
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.query import And, Phrase, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from app.search.whoosh.idlists import IdLists, PilotIds, PositionLists, segment_key
from app.search.whoosh.phrases import frequency, phrase_documents, sum_as_binary_tree

Postings = tuple[list[int], list[float]]  # document numbers (whole index) and term weights


def _leaf_postings(reader: Any, field: str, text: str, lists: IdLists | None) -> Any:
    """One segment's postings for a term, deleted documents included (the caller drops them)."""
    if lists is not None:
        return lists.postings(text)
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


_LENGTH_OF_BYTE = [None, *(byte_to_length(b) for b in range(1, 256))]


def field_lengths(reader: Any, field: str) -> list[int | None]:
    """Every document's field length as `reader.doc_field_length(n, field, 1)` gives it (None
    for a length byte of 0), from the segment's length column read in one go: one call a
    document took 0.1 s at 10,000 pilots, a worker's first query and a save's first search."""
    count = reader.doc_count_all()
    try:
        column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        raw = column._dbfile.get(column._basepos, min(column._count, count)) if column else None
    except AttributeError:  # not a Whoosh 3 segment reader: the slow way
        raw = None
    if raw is None:
        return [reader.doc_field_length(n, field, 1) for n in range(count)]
    lengths = list(map(_LENGTH_OF_BYTE.__getitem__, raw))
    return lengths + [None] * (count - len(lengths))  # a column's missing tail reads as 0


def _bm25(ids: Any, tfs: Any, idf: float, k1_1: float, norms: _Norms) -> list[float]:
    """Each document's score for one word: Whoosh's bm25(), operation for operation, so the
    floats come out the same."""
    return [idf * ((tf * k1_1) / (tf + norms[n])) for n, tf in zip(ids, tfs, strict=True)]


class _Norms(dict[int, float]):
    """The part of Whoosh's bm25() that depends only on the document and the index, per
    document number, worked out when first needed: a save changes the average length, and a
    rare word should not pay for every document's norm."""

    def __init__(self, lengths: list[Any], b: float, k1: float, average: float) -> None:
        super().__init__()
        self.lengths, self.b, self.k1, self.average = lengths, b, k1, average

    def __missing__(self, n: int) -> float:
        norm = self[n] = self.k1 * ((1 - self.b) + self.b * self.lengths[n] / self.average)
        return norm


class Ranker:
    """Scores for plain-word queries on one searcher's index; field lengths kept per segment."""

    def __init__(self, field: str) -> None:
        self.field = field
        self._lengths: dict[Any, list[int | None]] = {}  # segment → its documents' field lengths
        self._norms: dict[Any, _Norms] = {}  # segment → norms for the current average
        self._lists: dict[Any, IdLists | None] = {}  # segment → its id lists, if it has them
        self._positions: dict[Any, PositionLists | None] = {}  # and its position keys
        self._pilots: dict[Any, array[int] | None] = {}  # and its documents' pilot ids

    def usable(self, searcher: Searcher) -> bool:
        # An empty index (no pilots yet, or the last one withdrawn) has no idf: log(0 / 1).
        weighting = searcher.weighting
        bm25 = type(weighting) is BM25F and self.field not in weighting._field_B
        return bm25 and searcher.doc_count_all() > 0

    def _leaf(self, reader: Any, weighting: Any, average: float) -> _Norms:
        """One segment's BM25 length norms; its lengths and id lists kept with them."""
        key = segment_key(reader)
        lengths = self._lengths.get(key)
        if lengths is None:
            lengths = self._lengths[key] = field_lengths(reader, self.field)
        norms = self._norms.get(key)
        if norms is None or norms.average != average:
            norms = self._norms[key] = _Norms(lengths, weighting.B, weighting.K1, average)
        if key not in self._lists:
            self._lists[key] = IdLists.for_reader(reader, self.field)
        return norms

    def _leaves(self, searcher: Searcher, average: float) -> list[tuple[Any, int, _Norms, Any]]:
        """Each segment's reader and offset, its documents' BM25 length norms and id lists."""
        found = []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            norms = self._leaf(reader, searcher.weighting, average)
            found.append((reader, offset, norms, self._lists[segment_key(reader)]))
        self.keep_only(searcher)
        return found

    def keep_only(self, searcher: Searcher) -> None:
        """Forget the segments this searcher no longer has (closing their files)."""
        seen = {segment_key(leaf.reader()) for leaf, _ in searcher.leaf_searchers()}
        for cache in (self._lengths, self._norms, self._lists, self._positions, self._pilots):
            for key in set(cache) - seen:
                del cache[key]

    def scores(self, searcher: Searcher, query: Query | None) -> dict[int, float] | None:
        """Every match's score for plain words or one phrase; None for any other query."""
        parts: list[Any] = list(query.subqueries) if isinstance(query, And) else [query]
        if all(type(p) is Term and p.fieldname == self.field and p.boost == 1 for p in parts):
            return self.matches(searcher, [p.text for p in parts])
        if isinstance(query, Phrase) and query.fieldname == self.field:
            plain = query.boost == 1 and query.slop == 1
            return self.phrase_matches(searcher, list(query.words)) if plain else None
        return None

    def matches(self, searcher: Searcher, texts: list[str]) -> dict[int, float]:
        """Documents (whole-index numbers, in order) holding every one of `texts`, scored."""
        if len(texts) > 1 and not all(searcher.doc_frequency(self.field, t) for t in texts):
            return {}  # a word no pilot has: no need to read the others' postings
        k1_1 = searcher.weighting.K1 + 1  # type: ignore[attr-defined]
        idfs = [searcher.idf(self.field, text) for text in texts]
        average = searcher.avg_field_length(self.field) or 1
        found: dict[int, float] = {}
        for reader, offset, norms, lists in self._leaves(searcher, average):
            deleted = reader.deleted_docs_set if reader.has_deletions() else set()
            postings = [_leaf_postings(reader, self.field, text, lists) for text in texts]
            if len(postings) > 1:
                # Only documents with every word are scored: intersect the ids first, in C.
                weights_of = [dict(zip(ids, weights, strict=True)) for ids, weights in postings]
                fewest = min(weights_of, key=len)
                both = sorted(set(fewest).intersection(*weights_of) - deleted)
                postings = [(both, [tf_of[n] for n in both]) for tf_of in weights_of]
            elif deleted:
                ids, weights = postings[0]
                live = [i for i, n in enumerate(ids) if n not in deleted]
                postings = [([ids[i] for i in live], [weights[i] for i in live])]
            per_word = [
                _bm25(ids, weights, idf, k1_1, norms)
                for (ids, weights), idf in zip(postings, idfs, strict=True)
            ]
            if len(per_word) > 1:
                # Whoosh builds each segment's matcher tree from that segment's frequencies.
                sizes = [reader.doc_frequency(self.field, text) for text in texts]
                per_word = [_sum_as_whoosh(per_word, sizes)]
            ids = postings[0][0]
            found.update(zip(map(offset.__add__, ids) if offset else ids, per_word[0], strict=True))
        return found

    def pilot_ids(self, searcher: Searcher, docnums: list[int]) -> list[int]:
        """Each document's pilot id, from the raw array beside its segment if it has one."""
        leaves = searcher.leaf_searchers()
        offsets = [offset for _, offset in leaves]
        found = []
        for n in docnums:
            leaf, offset = leaves[bisect.bisect_right(offsets, n) - 1]
            key = segment_key(leaf.reader())
            if key not in self._pilots:
                lists = PilotIds.for_reader(leaf.reader(), "id")
                self._pilots[key] = lists.all() if lists is not None else None
            pilots = self._pilots[key]
            found.append(pilots[n - offset] if pilots else int(searcher.stored_fields(n)["id"]))
        return found

    def phrase_matches(self, searcher: Searcher, words: list[str]) -> dict[int, float]:
        """Documents (whole-index numbers, in order) holding `words` one after another, scored."""
        self._leaves(searcher, searcher.avg_field_length(self.field) or 1)  # and drop old ones
        found: dict[int, float] = {}
        for leaf, offset in searcher.leaf_searchers():
            matched = self.leaf_phrase(leaf, words)
            if matched is None:  # no keys (an older release's segment): Whoosh's own matcher
                matcher = Phrase(self.field, words).matcher(leaf, leaf.context())
                while matcher.is_active():
                    found[offset + matcher.id()] = matcher.score()
                    matcher.next()
                continue
            ids, scores = matched
            found.update(zip(map(offset.__add__, ids) if offset else ids, scores, strict=True))
        return found

    def leaf_phrase(
        self, leaf: Searcher, words: list[str], scored: bool = True
    ) -> tuple[list[int], list[float]] | None:
        """One segment's documents holding the phrase, and their scores as Whoosh gives them
        (none if not `scored`); None if the segment has no position keys."""
        top = leaf.get_parent()
        reader = leaf.reader()
        if not hasattr(reader, "segment") or not self.usable(top):
            return None
        average = top.avg_field_length(self.field) or 1
        norms = self._leaf(reader, top.weighting, average)
        key = segment_key(reader)
        if key not in self._positions:  # read when a phrase first needs them
            self._positions[key] = PositionLists.for_reader(reader, self.field)
        positions = self._positions[key]
        if positions is None:
            return None
        keys = [positions.keys(word) for word in words]
        ids = phrase_documents(keys)
        if reader.has_deletions():
            deleted = reader.deleted_docs_set
            ids = [n for n in ids if n not in deleted]
        if not scored:
            return ids, []
        k1_1 = top.weighting.K1 + 1  # type: ignore[attr-defined]
        per_word = []
        for word_keys, word in zip(keys, words, strict=True):
            idf = top.idf(self.field, word)
            tfs = [frequency(word_keys, n) for n in ids]
            per_word.append(_bm25(ids, tfs, idf, k1_1, norms))
        return ids, sum_as_binary_tree(per_word)


def _sum_as_whoosh(per_word: list[list[float]], sizes: list[int]) -> list[float]:
    """Each document's word scores (lists in the same document order) added as Whoosh's And.

    Whoosh pairs the two words with most documents first, then the pair with the next, like a
    Huffman tree; floating-point sums in another order can differ in the last bit and swap
    documents with all but equal scores. (Two words add the same either way round.)"""
    trees: list[tuple[int, int, list[float]]] = sorted(
        (-size, n, per_word[n]) for n, size in enumerate(sizes)
    )
    order = len(trees)
    while len(trees) > 1:
        (wa, _, a), (wb, _, b) = trees.pop(0), trees.pop(0)
        bisect.insort(trees, (wa + wb, order, [x + y for x, y in zip(a, b, strict=True)]))
        order += 1
    return trees[0][2]


def top(scored: dict[int, float], allowed: set[int] | None, count: int) -> tuple[list[int], int]:
    """The best `count` document numbers, ties to the lower number as in Whoosh, and how many
    matched."""
    if allowed is not None:
        scored = {n: s for n, s in scored.items() if n in allowed}
    if len(scored) <= count:
        best = list(scored)
    else:
        # The count-th best score, found comparing floats alone (no key function), is the bar.
        bar = heapq.nlargest(count, scored.values())[-1]
        best = [n for n, s in scored.items() if s >= bar]
    best.sort(key=lambda n: (-scored[n], n))
    return best[:count], len(scored)
