"""A damaged index, file by file: searches answer from the database with the notice, the pilot
page still opens, /healthz says so, `flask search check` names the file, and the rebuild in the
background restores it."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from app.search import indexing
from app.search.backend import IndexUnavailable
from app.search.whoosh import WhooshBackend, integrity
from app.search.whoosh.index import APPLIED_CHANGE
from app.search.whoosh.ranking import Ranker
from tests.factories import create_pilot

NOTICE = "while its index is rebuilt"
# Every kind of file in a generation (after the segment id, or the whole name): the TOC, its
# checksums, and each segment's Whoosh files, raw arrays and checksums.
KINDS = [
    "toc",
    "toc.sums",
    "trm",
    "pst",
    "_stored.col",
    "_content_len.col",
    "_spelling_len.col",
    "cost_pence.col",
    "updated.col",
    "content.ids",
    "content.pos",
    "id.pilots",
    "sums",
]


def kind_of(name: str) -> str:
    if name.startswith("_MAIN_"):
        return "toc"
    return name if name == integrity.TOC_SUMS else name.split(".", 1)[1]


def generation_files(index_dir: Path) -> dict[str, Path]:
    """Kind → the file of that kind in the generation being served (it has one segment)."""
    target = (index_dir / "current").resolve()
    # Not Whoosh's: the change log's mark (a damaged one only makes the index apply again).
    files = [p for p in target.iterdir() if p.name not in ("MAIN_WRITELOCK", APPLIED_CHANGE)]
    found = {kind_of(p.name): p for p in files}
    assert len(found) == len(files), "the generation has more than one segment"
    return found


def damage(path: Path) -> None:
    """Overwrite the file with random bytes of its own size (an empty one gets a few)."""
    size = path.stat().st_size
    path.write_bytes(random.Random(path.name).randbytes(size or 16))


@pytest.fixture
def pilots(client, whoosh):
    """Two public pilots, rebuilt into a generation of one segment; the searcher closed, so the
    next search opens the files afresh."""
    first = create_pilot(title="Gritting routes", tags=["winter"], planned_cost_pence=500_000)
    second = create_pilot(title="Gritting lorries", tags=["winter"], planned_cost_pence=900_000)
    indexing.reindex()
    indexing.close_searchers()
    return first, second


def html(client, path: str, **query: str) -> str:
    response = client.get(path, query_string=query)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_every_kind_of_file_is_listed(pilots, whoosh):
    assert sorted(generation_files(whoosh)) == sorted(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_file_falls_back_is_reported_and_rebuilt(
    client, whoosh, pilots, kind, monkeypatch
):
    first, _second = pilots
    damaged = generation_files(whoosh)[kind]
    damage(damaged)
    started: list[bool] = []
    monkeypatch.setattr(indexing, "rebuild_in_background", lambda: started.append(True) or True)

    page = html(client, "/search", q="gritting")
    assert NOTICE in page and "Gritting routes" in page and "Gritting lorries" in page
    for query in ({"q": '"gritting routes"'}, {"q": "gritting", "sort": "cost"}, {"q": "grittng"}):
        assert NOTICE in html(client, "/search", **query)
    assert "Gritting routes" in html(client, f"/pilots/{first.slug}")
    assert started, "no rebuild was started"

    response = client.get("/healthz")
    assert response.status_code == 200
    health = response.get_json()
    assert health["status"] == "degraded" and health["search"]["ok"] is False

    result = client.application.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert damaged.name in result.output

    monkeypatch.undo()
    assert indexing.rebuild_in_background()
    assert indexing.wait_for_rebuild()
    page = html(client, "/search", q="gritting")
    assert NOTICE not in page and "Gritting routes" in page and "Gritting lorries" in page
    assert "Gritting lorries" in html(client, f"/pilots/{first.slug}")
    assert client.get("/healthz").get_json()["status"] == "ok"
    assert client.application.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0


def test_a_big_segment_damaged_is_found_by_its_read_error(client, whoosh, pilots, monkeypatch):
    """Segments too big to hash on a worker's first query are hashed in a thread; a read error
    before that checks them there and then."""
    monkeypatch.setattr(integrity, "SYNC_HASH_BYTES", 0)
    monkeypatch.setattr("app.search.whoosh.guard.SYNC_HASH_BYTES", 0)
    monkeypatch.setattr(indexing, "rebuild_in_background", lambda: True)
    # The thread that would hash it does nothing: only the read error can tell.
    monkeypatch.setattr(WhooshBackend, "_check_in_background", lambda *args: None)
    damage(generation_files(whoosh)["content.ids"])
    assert NOTICE in html(client, "/search", q="gritting")
    assert client.get("/healthz").get_json()["status"] == "degraded"


def test_a_big_segment_damaged_is_found_by_the_check_in_the_background(
    client, whoosh, pilots, monkeypatch
):
    monkeypatch.setattr("app.search.whoosh.guard.SYNC_HASH_BYTES", 0)
    monkeypatch.setattr(indexing, "rebuild_in_background", lambda: True)
    damage(generation_files(whoosh)["_content_len.col"])  # read as other lengths, no error
    html(client, "/search", q="gritting")  # opens the searcher, starts the check
    backend = indexing.whoosh_backend()
    for thread in [t for t in threading.enumerate() if t.name == "search-index-check"]:
        thread.join(10)
    assert backend.directory.current_target() in backend._damaged
    assert NOTICE in html(client, "/search", q="gritting")


def test_an_error_with_intact_files_is_not_taken_for_damage(client, whoosh, pilots, monkeypatch):
    """A fault in our own code must show, not send every search to the database for ever."""

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(Ranker, "matches", broken)
    assert client.get("/search", query_string={"q": "gritting"}).status_code == 500
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_damage_found_after_the_search_itself_costs_only_the_spelling_help(
    client, whoosh, pilots, monkeypatch
):
    """The damage can be found between the search and its "Did you mean" (by the thread that
    checks a big segment, or by the spelling lookup's own read): the results still show."""

    def damaged(*args):
        raise IndexUnavailable("the index is damaged")

    monkeypatch.setattr(WhooshBackend, "suggest", damaged)
    monkeypatch.setattr(indexing, "rebuild_in_background", lambda: True)
    page = html(client, "/search", q="grittng")
    assert "Did you mean" not in page
