"""Saves merge the small segments in tiers: few at a time, never a pilot lost or found twice."""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.search.backend import SearchRequest
from app.search.documents import SearchDocument
from app.search.query import parse_query
from app.search.whoosh import WhooshBackend
from app.search.whoosh import merge as whoosh_merge
from app.search.whoosh.merge import FANIN, segments_to_merge, tier
from tests.search.whoosh.test_bulk import documents


@dataclass(frozen=True)
class FakeSegment:
    live: int

    def doc_count(self) -> int:
        return self.live


def sizes(segments: list[FakeSegment]) -> list[int]:
    return [s.live for s in segments]


class Registry:
    """Pilots as the database holds them: what a loader reads."""

    def __init__(self, count: int) -> None:
        self.docs = {doc.pilot_id: doc for doc in documents(count)}
        self.withdrawn: set[int] = set()
        self.loads: list[set[int]] = []

    def load(self, ids: set[int]) -> tuple[list[SearchDocument], set[int]]:
        self.loads.append(set(ids))
        found = [self.docs[i] for i in ids if i in self.docs and i not in self.withdrawn]
        return found, {i for i in ids if i in self.withdrawn}


def segment_sizes(backend: WhooshBackend) -> list[int]:
    return [s.doc_count() for s in backend.directory.open()._segments()]


def found(backend: WhooshBackend, words: str) -> list[int]:
    return backend.search(SearchRequest(parse_query(words), per_page=500)).pilot_ids


@pytest.fixture
def saved(tmp_path: Path) -> Iterator[tuple[WhooshBackend, Registry]]:
    registry = Registry(40)
    backend = WhooshBackend(str(tmp_path / "index"))
    backend.rebuild(iter(registry.docs.values()), registry.load)
    yield backend, registry
    backend.close()


def test_tiers_go_up_by_a_factor_of_fanin() -> None:
    assert [tier(n) for n in (1, FANIN - 1, FANIN, FANIN**2 - 1, FANIN**2)] == [0, 0, 1, 1, 2]


def test_a_full_tier_is_merged_and_nothing_bigger() -> None:
    big = [FakeSegment(50_000), FakeSegment(50_000)]
    assert segments_to_merge(big + [FakeSegment(1)] * (FANIN - 1)) == []
    chosen = segments_to_merge(big + [FakeSegment(1)] * (FANIN + 2))
    assert sizes(chosen) == [1] * FANIN


def test_the_lowest_full_tier_goes_first_and_empty_segments_are_not_merged() -> None:
    small = [FakeSegment(1)] * (FANIN - 1) + [FakeSegment(0)] * FANIN
    middle = [FakeSegment(FANIN + n) for n in range(FANIN)]
    assert sizes(segments_to_merge(small + middle + [FakeSegment(9_000)])) == sizes(middle)


def test_too_many_segments_merge_the_smallest_whatever_their_tiers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(whoosh_merge, "MAX_SEGMENTS", 4)
    segments = [FakeSegment(n) for n in (9_000, 40, 3, 7)]
    assert sizes(segments_to_merge(segments)) == [3, 7]  # with the new one, 3 are left


def test_many_saves_keep_few_segments_and_every_pilot_once(
    saved: tuple[WhooshBackend, Registry], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whoosh_merge, "MAX_SEGMENTS", 8)
    backend, registry = saved
    rng = random.Random(5)
    most = 0
    for n in range(150):
        pilot_id = rng.randint(1, 40)  # the same pilots again and again, in merged segments
        registry.docs[pilot_id].body += f" mark{n}"
        backend.apply({pilot_id}, registry.load)
        assert found(backend, f"mark{n}") == [pilot_id]
        counts = segment_sizes(backend)
        most = max(most, len(counts))
        assert len(counts) <= 8 and 0 not in counts
    ids = [pilot_id for pilot_id, _ in backend.indexed_digests()]
    assert sorted(ids) == list(range(1, 41))
    assert most > FANIN  # the bound was reached, so merging kept to it
    every_body_word = {w for doc in registry.docs.values() for w in doc.body.split()}
    for word in rng.sample(sorted(w for w in every_body_word if w.startswith("mark")), 20):
        expected = [d.pilot_id for d in registry.docs.values() if word in d.body.split()]
        assert sorted(found(backend, word)) == expected


def test_a_merge_holds_only_what_the_database_holds_now(
    saved: tuple[WhooshBackend, Registry],
) -> None:
    backend, registry = saved
    for pilot_id in range(1, FANIN + 1):  # FANIN one-pilot segments: the next save merges
        backend.apply({pilot_id}, registry.load)
    registry.docs[2].title += " retitled"  # changed and withdrawn, neither queued yet
    registry.withdrawn.add(3)
    backend.apply({10}, registry.load)
    assert registry.loads[-1] == set(range(1, FANIN + 1))  # the merge read them afresh
    assert segment_sizes(backend)[-1] == FANIN  # pilots 1-6 less 3, and 10
    assert found(backend, "retitled") == [2]
    assert 3 not in [pilot_id for pilot_id, _ in backend.indexed_digests()]


def test_a_merge_that_cannot_load_leaves_the_save_searchable(
    saved: tuple[WhooshBackend, Registry], monkeypatch: pytest.MonkeyPatch
) -> None:
    backend, registry = saved
    for pilot_id in range(1, FANIN + 1):
        backend.apply({pilot_id}, registry.load)
    before = len(segment_sizes(backend))

    def load_only_the_save(ids: set[int]) -> tuple[list[SearchDocument], set[int]]:
        if ids != {10}:
            raise ConnectionError("the database went away")
        return registry.load(ids)

    registry.docs[10].title += " kept"
    backend.apply({10}, load_only_the_save)
    assert found(backend, "kept") == [10]
    assert len(segment_sizes(backend)) == before + 1  # unmerged, for the next save to merge
    backend.apply({11}, registry.load)
    assert len(segment_sizes(backend)) < before
    ids = [pilot_id for pilot_id, _ in backend.indexed_digests()]
    assert sorted(ids) == list(range(1, 41))


def test_withdrawing_the_only_pilot_leaves_an_index_that_finds_nothing(tmp_path: Path) -> None:
    registry = Registry(1)
    backend = WhooshBackend(str(tmp_path / "index"))
    backend.rebuild(iter(registry.docs.values()), registry.load)
    registry.withdrawn.add(1)
    backend.apply({1}, registry.load)
    assert segment_sizes(backend) == []  # its segment had nothing left: dropped
    assert found(backend, "council") == []
    backend.close()


def open_files_removed_from(folder: Path) -> list[str]:
    """This process's open files in `folder` that are gone from the disk."""
    links = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor, closed by now
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
    return [link for link in links if link.startswith(str(folder)) and link.endswith("(deleted)")]


def test_segments_merged_away_are_forgotten_with_their_files(
    saved: tuple[WhooshBackend, Registry],
) -> None:
    """Every cache of a segment goes with it, whatever query read it (here phrases inside other
    queries, listed by date or cost, never one ranked alone). Kept, they held its deleted files
    open."""
    backend, registry = saved
    for n in range(60):
        doc = registry.docs[n % 40 + 1]
        doc.body += f" council data marker{n}"
        backend.apply({doc.pilot_id}, registry.load)
        for words, sort in (
            ('"council data" OR bins', "newest"),
            ('"council data" -nowhere', "cost"),
        ):
            assert backend.search(SearchRequest(parse_query(words), sort=sort)).total
    live = {segment.segment_id() for segment in backend.directory.open()._segments()}
    ranker = backend._ranker
    for cache in (ranker._lengths, ranker._lists, ranker._positions, ranker._pilots):
        assert set(cache) <= live
    assert {key for key, _ in backend._order._segments} <= live
    assert len(live) > 2 and not open_files_removed_from(backend.directory.root)
