"""Our ranking of plain-word queries must be Whoosh's: the same documents in the same order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.query import And, Term

from app.search import highlight
from app.search.backend import SearchRequest
from app.search.highlight import snippet
from app.search.query import parse_query
from app.search.whoosh_backend import WhooshBackend
from app.search.whoosh_bulk import BulkSegmentWriter
from app.search.whoosh_idlists import IdLists
from app.search.whoosh_index import document_fields, make_schema, text_analyzer
from app.search.whoosh_ranking import Ranker, _leaf_postings, top
from tests.search.test_whoosh_bulk import documents

QUERIES = [["council"], ["data"], ["w7"], ["council", "w3"], ["w1", "w2", "data"], ["absent"]]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Several segments, some documents deleted or replaced, as after a while of saves."""
    path: Path = tmp_path_factory.mktemp("ranking")
    index = whoosh_index.create_in(str(path), make_schema())
    docs = documents(300)
    for start in (0, 200, 260):
        # The first segment as a rebuild writes it (with id lists), the others as saves do.
        writer = (
            BulkSegmentWriter(index, ("content",), compound=False) if start == 0 else index.writer()
        )
        for doc in docs[start : start + {0: 200, 200: 60, 260: 40}[start]]:
            writer.add_document(**document_fields(doc))
        writer.commit(merge=False)
    writer = index.writer(compound=False)
    for n in (3, 150, 270):
        writer.delete_by_term("id", str(n))
    doc = docs[10]
    doc.body += " council council data"
    writer.update_document(**document_fields(doc))
    writer.commit(merge=False)
    return index


@pytest.mark.parametrize("words", QUERIES)
@pytest.mark.parametrize("limit", [5, 20, 1000])
def test_plain_word_rankings_are_whooshs(index: Any, words: list[str], limit: int) -> None:
    with index.searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1
        terms = [Term("content", w) for w in words]
        query = And(terms) if len(terms) > 1 else terms[0]
        theirs = searcher.search(query, limit=limit)
        ranker = Ranker("content")
        scored = ranker.matches(searcher, words)
        ours, total = top(scored, None, limit)
        assert ours == [hit.docnum for hit in theirs]
        assert [scored[n] for n in ours] == pytest.approx([hit.score for hit in theirs], rel=1e-12)
        assert total == len(list(searcher.docs_for_query(query)))


def test_id_lists_hold_the_ids_and_weights_of_the_postings_file(index: Any) -> None:
    with index.searcher() as searcher:
        readers = [sub.reader() for sub, _ in searcher.leaf_searchers()]
        lists = [IdLists.for_reader(reader, "content") for reader in readers]
        assert lists[0] is not None and lists[1:] == [None] * (len(lists) - 1)
        terms = [term.decode() for term in readers[0].lexicon("content")]
        assert len(terms) > 100
        for term in [*terms, "absent"]:
            ids, weights = lists[0].postings(term)
            assert (list(ids), list(weights)) == _leaf_postings(readers[0], "content", term, None)


def test_a_filter_keeps_only_allowed_documents_in_whooshs_order(index: Any) -> None:
    with index.searcher() as searcher:
        allowed = set(searcher.docs_for_query(Term("status", "running")))
        theirs = searcher.search(Term("content", "council"), filter=allowed, limit=30)
        ours, total = top(Ranker("content").matches(searcher, ["council"]), allowed, 30)
        assert ours == [hit.docnum for hit in theirs]
        assert total == len(allowed & set(searcher.docs_for_query(Term("content", "council"))))


def stem(word: str) -> str:
    return next((t.text for t in text_analyzer()(word)), "")  # type: ignore[operator]


@pytest.mark.parametrize(
    "text",
    [
        "Councils and the council's COUNCIL-run councillors; data, Data-led databases.",
        "Nothing here matches at all, only words like cow, count and dart.",
        "Straße councils — non-ASCII text takes the plain path: council data.",
    ],
)
def test_snippets_skip_no_matching_word(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    stems = {stem("council"), stem("data")}
    fast = snippet(text, stems, stem)
    monkeypatch.setattr(highlight, "_candidates", lambda text, _: highlight._WORD.finditer(text))
    assert fast == snippet(text, stems, stem)


def test_an_index_without_pilots_finds_nothing(tmp_path: Path) -> None:
    backend = WhooshBackend(str(tmp_path / "index"))
    backend.rebuild(iter([]), lambda ids: ([], set()))
    results = backend.search(SearchRequest(parse_query("council data")))  # ranked by Ranker
    assert (results.pilot_ids, results.total) == ([], 0)
    backend.close()
