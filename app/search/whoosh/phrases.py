"""Phrases matched from the raw position keys beside each segment (idlists.py).

Whoosh matches a phrase span by span in Python, unpickling every block of every word's
postings with their positions: 20 ms p95 for a two-word phrase at 10,000 pilots, 220 ms at
100,000. Here the starts of each word's positions, shifted back by its place in the phrase, are
intersected as sets in C. A phrase scores as Whoosh scores it: its words' BM25F scores, added
in the order of Whoosh's `make_binary_tree`, each word's frequency counted by bisecting its
keys (ranking.py does the scoring, with its per-segment lengths).

`KeyedPhrase` is Whoosh's `Phrase` that matches this way in any query (with other words, `OR`,
`-word`, sorted by date or cost, counted for facets); in a segment without keys (an index from
an older release) it is Whoosh's own.
"""

from __future__ import annotations

import bisect
import copy
from array import array
from itertools import repeat
from operator import sub
from typing import Any, Protocol

from whoosh.matching import ListMatcher, NullMatcher
from whoosh.query import Phrase

from app.search.whoosh.idlists import SHIFT


class PhraseRanker(Protocol):
    """What `KeyedPhrase` needs from its ranker (ranking.py's `Ranker`, which imports this
    module for the matching and so is not imported back)."""

    field: str

    def leaf_phrase(
        self, leaf: Any, words: list[str], scored: bool = True
    ) -> tuple[list[int], list[float]] | None: ...


class KeyedPhrase(Phrase):  # type: ignore[misc]
    def __init__(
        self,
        fieldname: str,
        words: list[str],
        slop: int = 1,
        boost: float = 1.0,
        char_ranges: Any = None,
        ranker: PhraseRanker | None = None,
    ) -> None:
        super().__init__(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
        self.ranker = ranker

    def __deepcopy__(self, memo: dict[int, Any]) -> KeyedPhrase:
        """Whoosh deep-copies queries (`copy()`, `with_boost()`): the ranker is shared, not
        copied with its caches and open files."""
        return KeyedPhrase(
            self.fieldname,
            list(self.words),
            slop=self.slop,
            boost=self.boost,
            char_ranges=copy.deepcopy(self.char_ranges, memo),
            ranker=self.ranker,
        )

    def normalize(self) -> Any:
        query = super().normalize()  # a new query of this class, without the ranker
        if isinstance(query, KeyedPhrase):
            query.ranker = self.ranker
        return query

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        ranker = self.ranker
        if ranker is not None and self.slop == 1 and self.fieldname == ranker.field:
            scored = context is None or context.weighting is not None
            found = ranker.leaf_phrase(searcher, list(self.words), scored)
            if found is not None:
                ids, scores = found
                if not ids:
                    return NullMatcher()
                if scores and self.boost != 1:
                    scores = [score * self.boost for score in scores]
                return ListMatcher(ids, scores or None)
        return super().matcher(searcher, context)


def phrase_documents(keys: list[array[int]]) -> list[int]:
    """Segment document numbers where word i of the phrase is at start + i for every i."""
    if not all(keys):
        return []
    # Start from the word with fewest positions: each step keeps only starts every word allows.
    order = sorted(range(len(keys)), key=lambda i: len(keys[i]))
    first = order[0]
    starts = set(map(sub, keys[first], repeat(first)))
    for i in order[1:]:
        if not starts:
            break
        starts = starts.intersection(map(sub, keys[i], repeat(i)))
    return sorted({start >> SHIFT for start in starts})


def frequency(keys: array[int], n: int) -> float:
    """How many times the word is in document n: its keys from n << SHIFT to (n + 1) << SHIFT."""
    low = bisect.bisect_left(keys, n << SHIFT)
    return float(bisect.bisect_left(keys, (n + 1) << SHIFT, low) - low)


def sum_as_binary_tree(per_word: list[list[float]]) -> list[float]:
    """Word scores added as Whoosh's phrase matcher adds them: halves first, then the two."""
    if len(per_word) == 1:
        return per_word[0]
    half = len(per_word) // 2
    left, right = sum_as_binary_tree(per_word[:half]), sum_as_binary_tree(per_word[half:])
    return [x + y for x, y in zip(left, right, strict=True)]
