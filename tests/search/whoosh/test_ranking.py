"""Our ranking of plain-word queries must be Whoosh's: the same documents in the same order."""

from __future__ import annotations

import gc
import json
from array import array
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.query import And, AndNot, Or, Phrase, Term

from app.search import highlight
from app.search.backend import SearchRequest
from app.search.highlight import snippet
from app.search.query import parse_query
from app.search.whoosh import WhooshBackend
from app.search.whoosh.bulk import BulkSegmentWriter
from app.search.whoosh.idlists import SHIFT, IdLists, PilotIds, PositionLists
from app.search.whoosh.index import document_fields, make_schema, text_analyzer
from app.search.whoosh.phrases import KeyedPhrase
from app.search.whoosh.ranking import Ranker, _leaf_postings, field_lengths, top
from tests.search.whoosh.test_bulk import documents

QUERIES = [["council"], ["data"], ["w7"], ["council", "w3"], ["w1", "w2", "data"], ["absent"]]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Several segments, some documents deleted or replaced, as after a while of saves: the
    first as a rebuild writes it, two as an older release's saves did (Whoosh's own writer, no
    id or position lists), the last as saves do now (the fast writer, replacing pilots)."""
    path: Path = tmp_path_factory.mktemp("ranking")
    index = whoosh_index.create_in(str(path), make_schema())
    docs = documents(300)
    for doc in docs[::3]:  # a phrase common enough to fill pages, in every segment
        doc.body += " the residents said: council data, and digital council data"
    for start in (0, 200, 260):
        writer = (
            BulkSegmentWriter(index, ("content",), compound=False) if start == 0 else index.writer()
        )
        for doc in docs[start : start + {0: 200, 200: 60, 260: 40}[start]]:
            writer.add_document(**document_fields(doc))
        writer.commit(merge=False)
    writer = BulkSegmentWriter(index, ("content",), compound=False)
    for n in (3, 150, 270):
        writer.delete_by_term("id", str(n))
    for doc in (docs[10], docs[45], docs[210], docs[280]):
        doc.body += " council council data, council data"
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
        assert [found is not None for found in lists] == [True, False, False, True]
        terms = [term.decode() for term in readers[0].lexicon("content")]
        assert len(terms) > 100
        for term in [*terms, "absent"]:
            ids, weights = lists[0].postings(term)
            assert (list(ids), list(weights)) == _leaf_postings(readers[0], "content", term, None)


# Common pairs (hundreds of matches over every segment), a stop word inside (Whoosh renumbers
# past it), a repeated word, three and four words, and phrases of words that never meet.
PHRASES = [
    ["council", "data"],
    ["data", "council"],
    ["servic", "hous"],
    ["resid", "said", "council", "data"],
    ["digit", "council", "data"],
    ["council", "council"],
    ["pilot", "resid", "digit"],
    ["w1", "w2", "w3", "w4"],
    ["w7", "absent"],
    ["absent", "council"],
]


@pytest.mark.parametrize("words", PHRASES)
@pytest.mark.parametrize("limit", [5, 1000])
def test_phrase_rankings_are_whooshs(index: Any, words: list[str], limit: int) -> None:
    with index.searcher() as searcher:
        query = Phrase("content", words)
        theirs = searcher.search(query, limit=limit)
        scored = Ranker("content").scores(searcher, query)
        assert scored is not None
        ours, total = top(scored, None, limit)
        assert ours == [hit.docnum for hit in theirs]
        assert [scored[n] for n in ours] == pytest.approx([hit.score for hit in theirs], rel=1e-12)
        assert total == len(list(searcher.docs_for_query(query)))
        if words == ["council", "data"]:  # many matches, in the rebuilt segment and the others
            assert total > 90
            offsets = [offset for _, offset in searcher.leaf_searchers()] + [10**9]
            segments = {next(i for i in range(4) if n < offsets[i + 1]) for n in scored}
            assert segments == {0, 1, 2, 3}


def keyed(words: list[str], ranker: Ranker, boost: float = 1.0) -> KeyedPhrase:
    return KeyedPhrase("content", words, boost=boost, ranker=ranker)


@pytest.mark.parametrize(
    "make",
    [
        lambda phrase: phrase(["council", "data"]),
        lambda phrase: Or([phrase(["council", "data"]), Term("content", "w7")]),
        lambda phrase: And([phrase(["digit", "council"]), Term("content", "w3")]),
        lambda phrase: AndNot(phrase(["council", "data"]), Term("content", "w1")),
        lambda phrase: Or([phrase(["council", "data"]), phrase(["w1", "w2"], boost=2.0)]),
        lambda phrase: AndNot(Term("content", "council"), phrase(["council", "data"])),
    ],
)
def test_a_keyed_phrase_in_any_query_matches_and_scores_as_whooshs(index: Any, make: Any) -> None:
    ranker = Ranker("content")
    theirs_query = make(lambda words, boost=1.0: Phrase("content", words, boost=boost))
    ours_query = make(lambda words, boost=1.0: keyed(words, ranker, boost))
    assert ours_query != theirs_query  # KeyedPhrase somewhere inside
    with index.searcher() as searcher:
        theirs = searcher.search(theirs_query, limit=None)
        ours = searcher.search(ours_query, limit=None)
        assert len(theirs) > 5
        assert [hit.docnum for hit in ours] == [hit.docnum for hit in theirs]
        assert [hit.score for hit in ours] == pytest.approx([hit.score for hit in theirs])
        newest = searcher.search(ours_query, limit=None, sortedby="updated", reverse=True)
        assert {hit.docnum for hit in newest} == {hit.docnum for hit in theirs}
        assert sorted(searcher.docs_for_query(ours_query)) == sorted(
            searcher.docs_for_query(theirs_query)
        )
    assert any(ranker._positions.values())  # the keys were used, not only Whoosh's matcher


def test_copies_of_a_keyed_phrase_share_its_ranker_and_open_files(index: Any) -> None:
    ranker = Ranker("content")
    query = keyed(["council", "data"], ranker)
    with index.searcher() as searcher:
        before = ranker.phrase_matches(searcher, ["council", "data"])
        copies = [query.copy(), query.with_boost(2.0), Or([query, Term("content", "w1")]).copy()]
        assert copies[0].ranker is ranker and copies[1].ranker is ranker
        assert copies[2].subqueries[0].ranker is ranker
        del copies
        gc.collect()  # a copy's files, had it had its own, would close the ranker's
        assert ranker.phrase_matches(searcher, ["council", "data"]) == before


def test_a_normalized_keyed_phrase_keeps_its_ranker() -> None:
    ranker = Ranker("content")
    assert keyed(["council", "data"], ranker).normalize().ranker is ranker
    assert keyed(["council"], ranker).normalize() == Term("content", "council")


def test_a_phrase_seen_in_the_document_text_is_found(index: Any) -> None:
    with index.searcher() as searcher:
        content = str(document_fields(documents(300)[40])["content"])
        stems = [t.text for t in text_analyzer()(content)]  # type: ignore[operator]
        assert len(stems) > 30
        for start in range(0, len(stems) - 3, 7):
            words = stems[start : start + 3]
            scored = Ranker("content").phrase_matches(searcher, words)
            assert searcher.document_number(id="41") in scored, words


def test_position_lists_hold_the_positions_of_the_postings_file(index: Any) -> None:
    with index.searcher() as searcher:
        readers = [sub.reader() for sub, _ in searcher.leaf_searchers()]
        lists = [PositionLists.for_reader(reader, "content") for reader in readers]
        assert [found is not None for found in lists] == [True, False, False, True]
        deleted = readers[0].deleted_docs_set  # still in the files; Whoosh's postings skip them
        assert deleted
        for term in [t.decode() for t in readers[0].lexicon("content")]:
            keys = lists[0].keys(term)
            assert list(keys) == sorted(keys)
            live = [key for key in keys if key >> SHIFT not in deleted]
            expected = [
                (n << SHIFT) + position
                for n, positions in readers[0].postings("content", term).items_as("positions")
                for position in positions
            ]
            assert live == expected, term
        assert list(lists[0].keys("absent")) == []


def test_field_lengths_read_in_one_go_are_whooshs_per_document(index: Any) -> None:
    with index.searcher() as searcher:
        readers = [sub.reader() for sub, _ in searcher.leaf_searchers()]
        for reader in readers:
            expected = [
                reader.doc_field_length(n, "content", 1) for n in range(reader.doc_count_all())
            ]
            assert field_lengths(reader, "content") == expected
            assert field_lengths(reader, "spelling") == [
                reader.doc_field_length(n, "spelling", 1) for n in range(reader.doc_count_all())
            ]
        assert len(set(field_lengths(readers[0], "content"))) > 50
        assert field_lengths(readers[0], "absent") == [1] * readers[0].doc_count_all()


def test_a_document_without_words_has_no_length(tmp_path: Path) -> None:
    index = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = BulkSegmentWriter(index, ("content",), compound=False)
    for doc in documents(3):
        doc.title, doc.high, doc.body = (
            ("The of", "", "") if doc.pilot_id == 2 else (doc.title, "", "")
        )
        writer.add_document(**document_fields(doc))
    writer.commit()
    with index.reader() as reader:
        lengths = field_lengths(reader, "content")
        assert lengths == [reader.doc_field_length(n, "content", 1) for n in range(3)]
        assert lengths[1] is None and lengths[0] and lengths[2]


def test_pilot_ids_are_the_stored_ids_in_every_segment(index: Any) -> None:
    with index.searcher() as searcher:
        lists = [PilotIds.for_reader(sub.reader(), "id") for sub, _ in searcher.leaf_searchers()]
        assert [found is not None for found in lists] == [True, False, False, True]
        live = [n for n in range(searcher.doc_count_all()) if not searcher.reader().is_deleted(n)]
        expected = [int(searcher.stored_fields(n)["id"]) for n in live]
        ranker = Ranker("content")
        assert ranker.pilot_ids(searcher, live) == expected
        assert ranker.pilot_ids(searcher, live[::-1]) == expected[::-1]  # any order, cached


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


def test_an_older_releases_json_id_lists_still_read(tmp_path: Path) -> None:
    """Before the binary table an .ids file ended in a JSON table: {term: [offset, count]}."""
    path = tmp_path / "old.content.ids"
    lists = {"council": ([1, 5, 9], [2.0, 1.0, 3.0]), "data": ([5], [1.0])}
    table, body = {}, b""
    for term, (ids, weights) in lists.items():
        table[term] = [len(body), len(ids)]
        body += array("I", ids).tobytes() + array("f", weights).tobytes()
    path.write_bytes(body + json.dumps(table).encode() + len(body).to_bytes(8, "little"))
    old = IdLists(path)
    for term, (ids, weights) in lists.items():
        assert [list(a) for a in old.postings(term)] == [ids, weights]
    assert [list(a) for a in old.postings("absent")] == [[], []]
