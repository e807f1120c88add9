"""A long-running worker's searcher must follow merges: each pilot found once, nothing stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.search.backend import SearchRequest
from app.search.documents import SearchDocument
from app.search.query import parse_query
from app.search.whoosh import WhooshBackend
from app.search.whoosh import merge as whoosh_merge
from tests.search.whoosh.test_bulk import documents


def search(backend: WhooshBackend, words: str) -> tuple[list[int], int]:
    results = backend.search(SearchRequest(parse_query(words), per_page=100))
    return results.pilot_ids, results.total


def test_saves_past_a_merge_find_each_pilot_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whoosh_merge, "MAX_SEGMENTS", 4)  # merge every few saves
    docs = documents(60)
    by_id = {doc.pilot_id: doc for doc in docs}

    def load(ids: set[int]) -> tuple[list[SearchDocument], set[int]]:
        return [by_id[i] for i in ids], set()

    backend = WhooshBackend(str(tmp_path / "index"))
    backend.rebuild(iter(docs), load)
    for n in range(1, 13):
        by_id[n].body += " council"
        backend.apply({n}, load)
        ids, total = search(backend, "council")
        assert len(ids) == len(set(ids)) == total
    fresh = WhooshBackend(str(tmp_path / "index"))
    assert search(backend, "council") == search(fresh, "council")
    backend.close()
    fresh.close()
