"""Facet counts for Whoosh from cached per-value document bitmaps.

Whoosh's own grouping walks every matching document in Python and, for multi-valued fields,
rebuilds a document→values table on every search. Instead, for each segment we read each facet
value's posting list once into a bitmap (a Python int, bit n = document n) and keep it until the
segment goes away; a save adds a small segment, so only that is read. Counting is then one AND
and one popcount per value, done in C."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from whoosh.searching import Searcher

from app.search.whoosh.idlists import segment_key

SegmentBitmaps = dict[str, dict[str, int]]
_ONE = re.compile("1")


def bitmap(ids: Iterable[int], size: int) -> int:
    marks = bytearray((size >> 3) + 1)
    for n in ids:
        marks[n >> 3] |= 1 << (n & 7)
    return int.from_bytes(marks, "little")


def members(bits: int) -> set[int]:
    """The document numbers whose bits are set (the inverse of bitmap())."""
    digits = bin(bits)
    top = len(digits) - 1  # "0b" comes first; the last digit is document 0
    return {top - match.start() for match in _ONE.finditer(digits, 2)}


def _segment_bitmaps(reader: Any, fields: Iterable[str]) -> SegmentBitmaps:
    size = reader.doc_count_all()
    found: SegmentBitmaps = {}
    for field in fields:
        values: dict[str, int] = {}
        if field in reader.indexed_field_names():
            for term in reader.lexicon(field):
                ids = reader.postings(field, term).all_ids()
                values[term.decode("utf-8")] = bitmap(ids, size)
        found[field] = values
    return found


class FacetBitmaps:
    """Bitmaps for every facet value, and of the live documents, for one searcher."""

    def __init__(self, searcher: Searcher, fields: Iterable[str], cache: dict[Any, Any]) -> None:
        self.fields = list(fields)
        self.values: SegmentBitmaps = {field: {} for field in self.fields}
        self.live = 0
        seen = set()
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            key = segment_key(reader)
            seen.add(key)
            per_segment = cache.get(key)
            if per_segment is None:
                per_segment = cache[key] = _segment_bitmaps(reader, self.fields)
            for field, values in per_segment.items():
                merged = self.values[field]
                for value, bits in values.items():
                    merged[value] = merged.get(value, 0) | (bits << offset)
            size = reader.doc_count_all()
            live = (1 << size) - 1
            if reader.has_deletions():
                live &= ~bitmap(reader.deleted_docs_set, size)
            self.live |= live << offset
        for key in set(cache) - seen:
            del cache[key]

    def allowed(self, filters: dict[str, str]) -> int:
        bits = self.live
        for field, value in filters.items():
            bits &= self.values.get(field, {}).get(value, 0)
        return bits

    def counts(self, matched: int) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for field, values in self.values.items():
            found = {}
            for value, bits in values.items():
                n = (matched & bits).bit_count()
                if n and value:
                    found[value] = n
            counts[field] = found
        return counts


class Cache(OrderedDict[Any, Any]):
    """The `size` most recently used values (facet counts and filter sets of recent queries)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def remember(self, key: Any, make: Callable[[], Any]) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make()
        if len(self) > self.size:
            self.popitem(last=False)
        return value
