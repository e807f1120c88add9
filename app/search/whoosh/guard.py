"""What a damaged index does to a serving process: the files of each segment a searcher opens
are checked against the checksums written with them (integrity.py), and any error while reading
is checked the same way at the engine's boundary (`reads_index`). Damage makes the generation
unavailable (searches answer from the database, and it is rebuilt); intact files mean the error
is a bug, which is raised as it is. WhooshBackend keeps its searcher through this class.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh.searching import Searcher

from app.search.backend import IndexUnavailable
from app.search.whoosh.index import IndexDirectory
from app.search.whoosh.integrity import (
    SUMS,
    SYNC_HASH_BYTES,
    TOC_SUMS,
    check_segment,
    check_toc,
    newest_toc,
    segment_size,
    toc_name,
)

log = logging.getLogger(__name__)


def reads_index(method: Callable[..., Any]) -> Callable[..., Any]:
    """The engine's boundary for reads. Whoosh readers seek and read shared files: one thread
    at a time uses the searcher. Damaged files raise anything (struct.error, IndexError,
    OverflowError, Whoosh's own Exception, ...): any error while reading is checked against the
    index's checksums, and becomes IndexUnavailable when files are damaged."""

    @functools.wraps(method)
    def guarded(self: DamageWatch, *args: Any, **kwargs: Any) -> Any:
        with self._guard:
            try:
                return method(self, *args, **kwargs)
            except IndexUnavailable:
                raise
            except Exception as error:
                self._raise_if_damaged(error)
                raise

    return guarded


def _moved_on(target: Path, generation: int) -> bool:
    """Whether a newer TOC has replaced this one: its segments' files that are missing were
    merged away by another process, not lost."""
    return newest_toc(target) != toc_name(generation)


class DamageWatch:
    """The checks a backend runs on the files it reads; the backend sets these in __init__."""

    directory: IndexDirectory
    _guard: threading.RLock
    _target: Any
    _searcher: Searcher | None
    _checked: set[str]  # segments whose files this process has checked
    _damaged: dict[Path, str]  # generation → what is wrong with it
    _intact: set[tuple[Path, int]]  # (generation, TOC) checked after an error

    def unavailable_state(self, pending: int) -> dict[str, Any]:
        """What the health check reports when the index cannot be read: a generation found
        damaged (searches answer from the database while it is rebuilt), or none at all."""
        try:
            damaged = self._damaged.get(self.directory.current_target())
        except IndexUnavailable:
            damaged = None
        if damaged:
            return {
                "ok": False,
                "index_present": True,
                "pending_updates": pending,
                "error": f"{damaged}; searches answer from the database while it is rebuilt",
            }
        return {
            "ok": False,
            "index_present": False,
            "pending_updates": pending,
            "error": "the index is missing or cannot be read; it is rebuilt on the next search",
        }

    def _open_searcher(self, target: Path) -> Searcher:
        """A new searcher on the generation, its new segments' files checked (integrity.py)."""
        for _attempt in range(3):
            index = self.directory.open()
            message = ""
            with warnings.catch_warnings():
                # A Whoosh reader that fails to read a file leaves it open until its traceback
                # goes: closed by the collection below, once the traceback has gone.
                warnings.simplefilter("ignore", ResourceWarning)
                try:
                    searcher = index.searcher()
                except Exception as error:
                    message = f"index in {target.name} cannot be read: {error!r}"
                if message:
                    index.close()
                    gc.collect()
            if message:
                raise IndexUnavailable(message)
            generation = searcher.reader().generation()
            problems = self._check_new_segments(searcher, target)
            if not problems:
                return searcher
            searcher.close()
            if not _moved_on(target, generation):
                self._mark_damaged(target, problems)
                raise IndexUnavailable(self._damaged[target])
        raise IndexUnavailable(f"the index in {target.name} kept changing while it was opened")

    def _readable(self) -> bool:
        """Whether the current generation opens as the searcher opens it, and is not known to
        be damaged (opening the index alone reads only its TOC)."""
        try:
            target = self.directory.current_target()
            if target in self._damaged:
                return False
            with self._guard:
                self._open_searcher(target).close()
            return True
        except IndexUnavailable:
            return False

    def _mark_damaged(self, target: Path, problems: list[str]) -> None:
        message = f"the index in {target.name} is damaged: {'; '.join(problems)}"
        log.error("Search index damaged, answering from the database: %s", message)
        with self._guard:
            self._damaged[target] = message
            if self._target == target and self._searcher is not None:
                self._searcher.close()
                self._searcher = self._target = None

    def _check_new_segments(self, searcher: Searcher, target: Path) -> list[str]:
        """Problems with the files of the TOC and of each segment this process has not met yet:
        sizes and checksums of a small segment (a save's); sizes now and checksums in a thread
        for a big one (a rebuild's)."""
        generation = searcher.reader().generation()
        problems = check_toc(target, toc_name(generation))
        later: list[str] = []
        for reader, _offset in searcher.reader().leaf_readers():
            segment = reader.segment() if hasattr(reader, "segment") else None
            if segment is None or segment.segment_id() in self._checked:
                continue
            segment_id = segment.segment_id()
            small = segment_size(target, segment_id) <= SYNC_HASH_BYTES
            problems += check_segment(target, segment_id, hashes=small)[0]
            (self._checked.add if small else later.append)(segment_id)
        if later and not problems:
            threading.Thread(
                target=self._check_in_background, args=(target, generation, later),
                name="search-index-check", daemon=True,
            ).start()  # fmt: skip
        return problems

    def _check_in_background(self, target: Path, generation: int, segment_ids: list[str]) -> None:
        # Lowest CPU priority for this thread alone (a Linux thread is a task of its own): the
        # worker's queries, which it shares two cores with, go first.
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        problems = [p for s in segment_ids for p in check_segment(target, s)[0]]
        if not problems:
            with self._guard:
                self._checked.update(segment_ids)
        elif not _moved_on(target, generation):
            self._mark_damaged(target, problems)

    def check_files(self) -> list[str]:
        """Every file of the current generation against its checksums, one line a problem:
        the newest TOC and every segment with a manifest, whether or not the index opens."""
        target = self.directory.current_target()
        problems = check_toc(target, newest_toc(target))
        for manifest in sorted(target.glob(f"*.{SUMS}")):
            if manifest.name != TOC_SUMS:
                problems += check_segment(target, manifest.name.split(".")[0])[0]
        return problems

    def _raise_if_damaged(self, error: Exception) -> None:
        """After an error reading the index: IndexUnavailable if its files are damaged, or
        unprovable (no checksums); else return, and the caller raises the error itself."""
        target, searcher = self._target, self._searcher
        if target is None or searcher is None:
            return  # it failed before reading anything
        key = (target, searcher.reader().generation())
        if key in self._intact:
            return
        problems = check_toc(target, toc_name(key[1]))
        unprovable = False
        for reader, _offset in searcher.reader().leaf_readers():
            segment = reader.segment() if hasattr(reader, "segment") else None
            if segment is not None:
                found, has_sums = check_segment(target, segment.segment_id())
                problems += found
                unprovable = unprovable or not has_sums
        if not problems and not unprovable:
            self._intact.add(key)
            log.error("Reading the search index failed though its files are intact")
            return
        if problems and _moved_on(target, key[1]):  # merged away meanwhile: reopen next time
            raise IndexUnavailable(f"the index in {target.name} changed while read") from error
        self._mark_damaged(target, problems or [f"reading it failed: {error!r}"])
        raise IndexUnavailable(self._damaged[target]) from error
