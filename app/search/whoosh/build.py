"""Building a whole index generation on two cores.

Whoosh's own `procs=2` gained 1.08× at 100,000 pilots (SEARCH_NOTES): its subprocesses write
their postings to pools that the parent then merges one posting at a time. Here a helper process
builds a whole segment of its own from every other batch of documents with the fast writer,
and its finished segment files are moved into the generation beside the parent's, so the index
has two segments and nothing is merged. Small rebuilds (tests, a new install) never start the
helper: it costs about a second to start.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import Schema

from app.search.whoosh.bulk import BulkSegmentWriter

Fields = dict[str, object]
BATCH = 250
HELPER_AFTER = 4000  # documents before a helper is worth its start-up
# Postings blocks not compressed (Whoosh's default is zlib level 3): a rebuild of 10,000 pilots
# took 11-22 % less CPU than at level 1, for a postings file of 167 MB instead of 96 MB. Ranking
# and phrases read the raw id and position lists beside it; reading blocks skips zlib.
WRITER_OPTIONS: dict[str, Any] = {
    "compound": False,
    "limitmb": 256,
    "codec": W3Codec(compression=0),
}
RESULT_WAIT_SECONDS = 1800.0


def _writer(index: Any, bulk_fields: tuple[str, ...]) -> BulkSegmentWriter:
    return BulkSegmentWriter(index, bulk_fields, **WRITER_OPTIONS)


def _helper(
    path: str,
    make_schema: Callable[[], Schema],
    bulk_fields: tuple[str, ...],
    batches: Any,
    result: Any,
    parent: int,
) -> None:
    """Index each batch until None comes, then report the finished segment (or the error).

    Gives up when the parent is gone (killed mid-rebuild): a spawned child holds both ends of
    the queue's pipe, so it would never see end-of-file and would wait for ever."""
    try:
        index = whoosh_index.create_in(path, make_schema())
        writer = _writer(index, bulk_fields)
        while True:
            try:
                batch = batches.get(timeout=1.0)
            except queue.Empty:
                if os.getppid() != parent:
                    return
                continue
            if batch is None:
                break
            for fields in batch:
                writer.add_document(**fields)
        segment = writer._finalize_segment() if writer.doc_count() else None
        writer._finish()
        result.put(("done", segment))
    except BaseException as error:  # the parent must hear of any failure, not wait for ever
        result.put(("failed", repr(error)))


class _Helper:
    def __init__(
        self, path: Path, make_schema: Callable[[], Schema], bulk_fields: tuple[str, ...]
    ) -> None:
        context = multiprocessing.get_context("spawn")  # safe from a thread, unlike fork
        self.path = path
        path.mkdir()
        self.batches = context.Queue(maxsize=4)
        self.result = context.Queue()
        self.process = context.Process(
            target=_helper,
            args=(str(path), make_schema, bulk_fields, self.batches, self.result, os.getpid()),
            name="search-build-helper",
            daemon=True,
        )
        self.process.start()

    def finish(self) -> Any:
        """The helper's segment (None if it got no documents), its files moved to the parent."""
        while True:  # a dead helper leaves the queue full: never wait on it for ever
            try:
                self.batches.put(None, timeout=1.0)
                break
            except queue.Full:
                if not self.process.is_alive():
                    self.stop()
                    raise RuntimeError("the index build helper died before it finished") from None
        outcome: str = "failed"
        segment: Any = "it stopped without an answer"
        deadline = time.monotonic() + RESULT_WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                outcome, segment = self.result.get(timeout=1.0)
                break
            except queue.Empty:
                if not self.process.is_alive():
                    break
        self.stop()
        if outcome != "done":
            raise RuntimeError(f"the index build helper failed: {segment}")
        if segment is not None:
            prefix = f"{segment.segment_id()}."
            for name in os.listdir(self.path):
                if name.startswith(prefix):
                    os.replace(self.path / name, self.path.parent / name)
        shutil.rmtree(self.path, ignore_errors=True)
        return segment

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def _offer(helper: _Helper, batch: list[Fields]) -> bool:
    try:
        helper.batches.put_nowait(batch)
    except queue.Full:
        return False
    return True


def build_generation(
    path: Path,
    make_schema: Callable[[], Schema],
    bulk_fields: tuple[str, ...],
    documents: Iterable[Fields],
) -> None:
    """Index every document into a new index in `path`, on two cores when there are many."""
    index = whoosh_index.create_in(str(path), make_schema())
    writer = _writer(index, bulk_fields)
    helper: _Helper | None = None
    batch: list[Fields] = []
    given = 0  # documents handed to the helper
    try:
        for count, fields in enumerate(documents, 1):
            if helper is None and count > HELPER_AFTER:
                helper = _Helper(path / "helper", make_schema, bulk_fields)
            if helper is None:
                writer.add_document(**fields)
                continue
            batch.append(fields)
            if len(batch) < BATCH:
                continue
            # The helper takes a batch while it is behind and not busy; else we index it here,
            # so neither process waits on the other however loaded the machine is.
            if given <= writer.doc_count() and _offer(helper, batch):
                given += len(batch)
            else:
                for item in batch:
                    writer.add_document(**item)
            batch = []
        for item in batch:
            writer.add_document(**item)
        if helper is None:
            writer.commit()
            return
        segments = [writer._finalize_segment()]
        theirs = helper.finish()
        if theirs is not None:
            segments.append(theirs)
        writer._commit_toc(segments)
        writer._finish()
    except BaseException:
        if helper is not None:
            helper.stop()
        if not writer.is_closed:
            writer.cancel()
        raise
    finally:
        index.close()
