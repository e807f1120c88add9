"""Each term's document numbers and weights as plain arrays, beside a rebuilt segment.

Reading a common word's postings from Whoosh's own file means unpickling every block, and
each block carries the positions of every posting, which ranking does not need: at 100,000
pilots that was about 45 ms a common word. The rebuild writes the same ids and weights once
more, as raw machine arrays in one file per segment and field (`<segment>.<field>.ids`), which
a query reads with `array.frombytes`. Whoosh removes the file with its segment (it is named
like the segment's own files); segments written by saves have none and are read the slow way.

Layout: for each term its ids (`array("I")`) then its weights (`array("f")`), then a JSON
{term: [offset, count]} table, then the table's offset as 8 little-endian bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
from array import array
from pathlib import Path
from typing import Any


def file_name(segment_id: str, field: str) -> str:
    return f"{segment_id}.{field}.ids"


class IdListWriter:
    def __init__(self, path: Path) -> None:
        self._file = open(path, "wb")  # noqa: SIM115 (closed in finish)
        self._table: dict[str, tuple[int, int]] = {}

    def add(self, term: str, ids: array[int], weights: array[float]) -> None:
        self._table[term] = (self._file.tell(), len(ids))
        self._file.write(ids.tobytes())
        self._file.write(weights.tobytes())

    def finish(self) -> None:
        at = self._file.tell()
        self._file.write(json.dumps(self._table, separators=(",", ":")).encode())
        self._file.write(at.to_bytes(8, "little"))
        self._file.close()


class IdLists:
    """One segment's id lists for one field, read with pread (safe from any thread)."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        size = os.fstat(self._fd).st_size
        at = int.from_bytes(os.pread(self._fd, 8, size - 8), "little")
        table = json.loads(os.pread(self._fd, size - 8 - at, at))
        # One int a term, not a list: a dict of strings and ints is one object to the garbage
        # collector, where a list a term made each full collection walk every term of every
        # segment (at 10,000 pilots, three pauses of about 100 ms in 40 saves).
        self._table: dict[str, int] = {term: (o << 32) | n for term, (o, n) in table.items()}

    @classmethod
    def for_reader(cls, reader: Any, field: str) -> IdLists | None:
        """The lists beside this segment reader's segment, or None if it has none."""
        folder = getattr(getattr(reader, "_storage", None), "folder", None)
        segment = reader.segment() if hasattr(reader, "segment") else None
        if folder is None or segment is None:
            return None
        path = Path(folder) / file_name(segment.segment_id(), field)
        return cls(path) if path.exists() else None

    def postings(self, term: str) -> tuple[array[int], array[float]]:
        ids, weights = array("I"), array("f")
        found = self._table.get(term)
        if found is not None:
            offset, count = found >> 32, found & 0xFFFFFFFF
            data = os.pread(self._fd, count * 8, offset)
            ids.frombytes(data[: count * 4])
            weights.frombytes(data[count * 4 :])
        return ids, weights

    def __del__(self) -> None:  # kept as long as its segment is: closed when dropped
        with contextlib.suppress(OSError, AttributeError):
            os.close(self._fd)
