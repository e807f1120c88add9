"""Merging the small segments that saves leave, a few at a time, as part of a save.

Each save commits a segment of its own. Before, once there were more than 24 we merged every
small one through Whoosh's `add_reader`: it re-writes one posting at a time, about 40 ms a
pilot, and the merged segment stayed "small" and was merged again the next time, so one save
in 23 took 0.7 s and more (README, "Search performance"). Now:

- Tiers. Segments are grouped by live documents in powers of FANIN (1-5, 6-35, 36-215, …);
  when a tier holds FANIN segments those are merged into one of the next, so a pilot is merged
  about once a tier and most merges are of a handful of pilots: one save in FANIN merges
  FANIN pilots, one in FANIN² merges FANIN² of them, and so on. If there are still more than
  MAX_SEGMENTS the smallest are merged too, so queries never meet more than that. Segments
  whose documents were all replaced are dropped for nothing.
- Indexing again. The merged segments' live pilots are loaded again and indexed into the
  save's own segment with the rebuild's fast writer: Whoosh writes about 30 µs a term however
  it gets there, and reading the postings back costs more than analysing the text anew. A
  pilot changed since it was indexed is indexed as it is now; one no longer searchable is left
  out, as its queued change would do. One commit with the save's own changes: a commit of its
  own would add a writer, a TOC and a searcher reopen (about 10 ms), and the save that found
  the merge due would still wait for it before it returned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from whoosh.reading import SegmentReader

from app.search.documents import SearchDocument
from app.search.whoosh.build import WRITER_OPTIONS as REBUILD_OPTIONS
from app.search.whoosh.index import document_fields

log = logging.getLogger(__name__)
Loader = Callable[[set[int]], tuple[list[SearchDocument], set[int]]]
Policy = Callable[[Any, list[Any]], list[Any]]
MAX_SEGMENTS = 24
FANIN = 6  # segments of a tier merged at once, and the ratio between tiers
WRITER_OPTIONS: dict[str, Any] = {**REBUILD_OPTIONS, "limitmb": 64}  # as a rebuild's


def tier(live: int) -> int:
    """0 for 1 to FANIN - 1 live documents, 1 up to FANIN² - 1, and so on."""
    level = 0
    while live >= FANIN:
        live //= FANIN
        level += 1
    return level


def segments_to_merge(segments: Sequence[Any]) -> list[Any]:
    """The FANIN smallest segments of the lowest full tier, or failing that the smallest when
    the commit would leave more than MAX_SEGMENTS; else none. (Empty ones are dropped anyway.)"""
    kept = sorted((s for s in segments if s.doc_count()), key=lambda s: s.doc_count())
    tiers: dict[int, list[Any]] = {}
    for segment in kept:
        tiers.setdefault(tier(segment.doc_count()), []).append(segment)
    for level in sorted(tiers):
        if len(tiers[level]) >= FANIN:
            return tiers[level][:FANIN]
    if len(kept) >= MAX_SEGMENTS:  # with the segment being written, there would be more
        return kept[: max(2, len(kept) + 1 - MAX_SEGMENTS)]
    return []


def drop_empty(writer: Any, segments: list[Any]) -> list[Any]:
    """A merge policy that merges nothing: segments whose every document was replaced go."""
    return [s for s in segments if s.doc_count()]


def _live_ids(writer: Any, segments: Sequence[Any]) -> set[int]:
    ids: set[int] = set()
    for segment in segments:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            ids.update(int(fields["id"]) for _, fields in reader.iter_docs())
        finally:
            reader.close()
    return ids


def merge_small_segments(writer: Any, load: Loader) -> Policy:
    """Add the live pilots of the segments due a merge to `writer` (after its own updates and
    deletions, so none is added twice); returns the merge policy to commit it with."""
    chosen = segments_to_merge(writer.segments)
    if not chosen:
        return drop_empty
    ids = _live_ids(writer, chosen)
    try:
        documents, _ = load(ids) if ids else ([], set())
    except Exception:
        # The save must not fail for a merge: it is tried again with the next one.
        log.exception("Loading pilots to merge the search index's small segments failed")
        return drop_empty
    for document in sorted(documents, key=lambda d: d.pilot_id):
        if document.pilot_id in ids:
            writer.add_document(**document_fields(document))
    replaced = {s.segment_id() for s in chosen}

    def merged(writer: Any, segments: list[Any]) -> list[Any]:
        return [s for s in drop_empty(writer, segments) if s.segment_id() not in replaced]

    return merged
