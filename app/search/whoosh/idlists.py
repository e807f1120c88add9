"""Per-term arrays beside each segment: document numbers and weights, and positions.

Reading a common word's postings from Whoosh's own file means unpickling every block, and
each block carries the positions of every posting, which ranking does not need: at 100,000
pilots that was about 45 ms a common word. The fast writer (bulk.py), which writes
every segment (rebuilds, saves, merges), writes the same ids and weights once more, as raw
machine arrays in one file per segment and field (`<segment>.<field>.ids`), which a query reads
with `array.frombytes`. Phrases need the positions, which Whoosh keeps pickled
inside the same blocks and walks span by span in Python (20 ms for a two-word phrase at 10,000
pilots): it also writes them raw (`<segment>.<field>.pos`), one 64-bit key a position,
`document << 32 | position`, in order, so that a phrase is a few set intersections in C
(phrases.py), and each document's pilot id (`<segment>.id.pilots`), which Whoosh's
stored fields give at 14 µs a document. Whoosh removes the files with their segment (they are
named like its own files); a segment without them (an index from an older release) is read
the slow way.

Layout of a file: for each term its arrays one after another (each `count` items long), then
the table: `PGTERMS1`, the number of terms (4 bytes), every term's offset (`array("Q")`) and
count (`array("I")`), the terms joined by line breaks; then the table's offset as 8 little-endian
bytes. (A JSON table, {term: [offset, count]}, was an older release's: it is still read. It took
9-39 ms to parse a big segment's, on a worker's first query and the first save after a rebuild.)
"""

from __future__ import annotations

import contextlib
import json
import os
from array import array
from pathlib import Path
from typing import Any

SHIFT = 32  # a position key is document << SHIFT | position
TABLE_MAGIC = b"PGTERMS1"


def segment_key(reader: Any) -> Any:
    """What per-segment caches are keyed by: the segment's id (a reader of no segment: itself)."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else id(reader)


def file_name(segment_id: str, field: str, kind: str = "ids") -> str:
    return f"{segment_id}.{field}.{kind}"


class TermArraysWriter:
    def __init__(self, path: Path) -> None:
        self._file = open(path, "wb")  # noqa: SIM115 (closed in finish)
        self._terms: list[str] = []
        self._offsets = array("Q")
        self._counts = array("I")

    def add(self, term: str, *arrays: array[Any]) -> None:
        self._terms.append(term)
        self._offsets.append(self._file.tell())
        self._counts.append(len(arrays[0]))
        for values in arrays:
            self._file.write(values.tobytes())

    def finish(self) -> None:
        at = self._file.tell()
        self._file.write(TABLE_MAGIC + len(self._terms).to_bytes(4, "little"))
        self._file.write(self._offsets.tobytes() + self._counts.tobytes())
        self._file.write("\n".join(self._terms).encode())  # no token holds a line break
        self._file.write(at.to_bytes(8, "little"))
        self._file.close()


class TermArrays:
    """One segment's arrays for one field, read with pread (safe from any thread)."""

    kind = ""
    typecodes = ""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        size = os.fstat(self._fd).st_size
        at = int.from_bytes(os.pread(self._fd, 8, size - 8), "little")
        table = os.pread(self._fd, size - 8 - at, at)
        self._offsets, self._counts = array("Q"), array("I")
        if table.startswith(TABLE_MAGIC):
            count = int.from_bytes(table[len(TABLE_MAGIC) : len(TABLE_MAGIC) + 4], "little")
            start = len(TABLE_MAGIC) + 4
            self._offsets.frombytes(table[start : start + 8 * count])
            self._counts.frombytes(table[start + 8 * count : start + 12 * count])
            terms = table[start + 12 * count :].decode().split("\n") if count else []
        else:  # the JSON table of an older release's .ids file: {term: [offset, count]}
            found = json.loads(table)
            terms = list(found)
            for offset, items in found.values():
                self._offsets.append(offset)
                self._counts.append(items)
        # A term's place in the arrays, built in C; a dict of strings and ints is one object to
        # the garbage collector (a list a term made each full collection walk every term).
        self._table: dict[str, int] = dict(zip(terms, range(len(terms)), strict=True))

    @classmethod
    def for_reader(cls, reader: Any, field: str) -> Any:
        """The file beside this segment reader's segment, or None if it has none."""
        folder = getattr(getattr(reader, "_storage", None), "folder", None)
        segment = reader.segment() if hasattr(reader, "segment") else None
        if folder is None or segment is None:
            return None
        path = Path(folder) / file_name(segment.segment_id(), field, cls.kind)
        return cls(path) if path.exists() else None

    def arrays(self, term: str) -> list[array[Any]]:
        found = [array(code) for code in self.typecodes]
        where = self._table.get(term)
        if where is not None:
            offset, count = self._offsets[where], self._counts[where]
            data = os.pread(self._fd, count * sum(a.itemsize for a in found), offset)
            start = 0
            for values in found:
                end = start + count * values.itemsize
                values.frombytes(data[start:end])
                start = end
        return found

    def __copy__(self) -> TermArrays:
        return self  # a copy would close the shared descriptor when it went

    def __deepcopy__(self, memo: dict[int, Any]) -> TermArrays:
        return self

    def __del__(self) -> None:  # kept as long as its segment is: closed when dropped
        with contextlib.suppress(OSError, AttributeError):
            os.close(self._fd)


class IdLists(TermArrays):
    """Each term's document numbers (`array("I")`) and weights (`array("f")`)."""

    kind, typecodes = "ids", "If"

    def postings(self, term: str) -> tuple[array[int], array[float]]:
        ids, weights = self.arrays(term)
        return ids, weights


class PositionLists(TermArrays):
    """Each term's position keys (`array("Q")`), `document << SHIFT | position`, ascending."""

    kind, typecodes = "pos", "Q"

    def keys(self, term: str) -> array[int]:
        return self.arrays(term)[0]


class PilotIds(TermArrays):
    """Each document's pilot id (`array("I")`), by segment document number, as term "id"."""

    kind, typecodes = "pilots", "I"

    def all(self) -> array[int]:
        return self.arrays("id")[0]
