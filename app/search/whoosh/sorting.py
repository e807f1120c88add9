"""Listing documents by a number (newest first, cheapest first) without Whoosh's sorting collector.

Whoosh's sorted search reads the column one document at a time through four Python calls:
listing all 100,000 pilots newest first, which is the empty search at the front door and any
query of stop words alone, took 125 ms. Here each segment's column is read once, as raw bytes
into an array, and kept until the segment goes; a searcher's arrays are joined into one,
indexed by whole-index document number, and `heapq` picks the page with the array's own
`__getitem__` as the key, in C. Ties are in Whoosh's order.
"""

from __future__ import annotations

import heapq
import sys
from array import array
from collections.abc import Iterable
from itertools import filterfalse
from typing import Any

from whoosh.columns import NumericColumn
from whoosh.searching import Searcher

from app.search.whoosh.idlists import segment_key


def column_values(reader: Any, field: str) -> array[int] | None:
    """A segment's numeric column as an array by document number; None if it is not one."""
    column = reader.schema[field].column_type
    if not isinstance(column, NumericColumn) or not hasattr(reader, "_perdoc"):
        return None
    count = reader.doc_count_all()
    values = array(column._typecode)
    if reader._perdoc.has_column(field):
        raw = reader._perdoc.column_reader(field, column)
        values.frombytes(raw._dbfile.get(raw._basepos, min(raw._count, count) * values.itemsize))
        if sys.byteorder == "little":
            values.byteswap()  # Whoosh writes columns big-endian
    values.extend([column._default] * (count - len(values)))  # a missing tail is the default
    return values


class ColumnOrder:
    """Per-segment column arrays, and the joined array of the searcher last asked about."""

    def __init__(self) -> None:
        self._segments: dict[tuple[Any, str], array[int] | None] = {}
        self._joined: dict[str, tuple[Searcher, array[int] | None]] = {}

    def keep_only(self, searcher: Searcher) -> None:
        """Forget the segments this searcher no longer has, and the joined arrays."""
        seen = {segment_key(leaf.reader()) for leaf, _ in searcher.leaf_searchers()}
        for key in [key for key in self._segments if key[0] not in seen]:
            del self._segments[key]
        self._joined.clear()

    def values(self, searcher: Searcher, field: str) -> array[int] | None:
        joined = self._joined.get(field)
        if joined is not None and joined[0] is searcher:
            return joined[1]
        readers = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
        keys = {(segment_key(reader), field): reader for reader in readers}
        for key in [key for key in self._segments if key[1] == field and key not in keys]:
            del self._segments[key]
        parts = []
        for key, reader in keys.items():
            if key not in self._segments:
                self._segments[key] = column_values(reader, field)
            parts.append(self._segments[key])
        values: array[int] | None = None
        if all(part is not None for part in parts):
            values = array(parts[0].typecode if parts[0] is not None else "q")
            for part in parts:
                values.extend(part)  # type: ignore[arg-type]
        self._joined[field] = (searcher, values)
        return values

    def best(
        self,
        searcher: Searcher,
        field: str,
        reverse: bool,
        count: int,
        docs: Iterable[int] | None,
        allowed: set[int] | None,
    ) -> tuple[list[int], int] | None:
        """The first `count` of `docs` (every live document if None) that `allowed` lets
        through, in the column's order, and how many there were; None if the column cannot be
        read this way (Whoosh's own sorting is then the way)."""
        values = self.values(searcher, field)
        if values is None:
            return None
        # The heap keeps ties in the order it meets them: Whoosh lists ties in document order,
        # and reversed (the higher number first) when the order is reversed.
        if docs is None:
            size = searcher.doc_count_all()
            candidates: Iterable[int] = range(size - 1, -1, -1) if reverse else range(size)
            deleted = _deleted(searcher)
            if deleted:
                candidates = filterfalse(deleted.__contains__, candidates)
        else:
            candidates = sorted(docs, reverse=reverse)
        if allowed is not None:
            candidates = filter(allowed.__contains__, candidates)
        chosen = list(candidates)
        pick = heapq.nlargest if reverse else heapq.nsmallest
        return pick(count, chosen, key=values.__getitem__), len(chosen)


def _deleted(searcher: Searcher) -> set[int]:
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if reader.has_deletions():
            found.update(offset + n for n in reader.deleted_docs_set)
    return found
