"""The rebuild's fast path must index exactly what Whoosh's own analyzer and writer would."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index

from app.search.documents import SearchDocument
from app.search.whoosh import build as whoosh_build
from app.search.whoosh.bulk import BulkSegmentWriter, TermCutter
from app.search.whoosh.index import document_fields, make_schema, text_analyzer

TEXTS = [
    "",
    "the of and a",
    "A pilot of the Council's chatbot: 3.5 million calls, e.g. 24/7 at 09:30.",
    "The the THE running runs ran runner's a b c de",
    "İstanbul ÉCOLE straße Ǆemal naïve café résumé 東京 данные ٣٤٥",
    "x " * 5 + "under_score big-time v1.2.3 .hidden trailing. *star* a*b wild**",
    "It is what it is. To be, or not to be: that is the question.",
    "data-driven, well-being; co-production (CO-PRODUCTION) and 'quoted' \"words\"",
    "numbers 1 22 333 4.4 5,5 0.0.0 1st 2nd 10k £3,000 50%",
    "Tab\tseparated\nnew lines\r\nand\u00a0non-breaking\u2003spaces",
]


def analyzer_positions(text: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for token in text_analyzer()(text, positions=True, mode="index"):  # type: ignore[operator]
        found.setdefault(token.text, []).append(token.pos)
    return found


@pytest.mark.parametrize("text", TEXTS)
def test_the_term_cutter_gives_the_analyzers_terms_and_positions(text: str) -> None:
    assert TermCutter().analyse(text) == analyzer_positions(text)


def test_the_term_cutter_agrees_on_random_mixed_text() -> None:
    rng = random.Random(7)
    pieces = [*" ".join(TEXTS).split(), "the", "a", "I", ".", "..", "-", "ǅ", "ﬁne", "Ⅻ"]
    cutter = TermCutter()  # one cutter for all: its stem cache must not change answers
    for _ in range(200):
        text = rng.choice(("", " ", "\n")).join(rng.choices(pieces, k=rng.randint(0, 60)))
        assert cutter.analyse(text) == analyzer_positions(text)


def documents(count: int) -> list[SearchDocument]:
    rng = random.Random(11)
    words = [
        "council",
        "data",
        "the",
        "service",
        "housing",
        "of",
        "pilot",
        "and",
        "residents",
        "a",
        "digital",
        "bins",
    ]
    words += [f"w{n}" for n in range(200)] + ["Straße", "3.5", "e.g."]
    return [
        SearchDocument(
            pilot_id=n,
            title=" ".join(rng.choices(words, k=rng.randint(1, 8))),
            high=" ".join(rng.choices(words, k=rng.randint(0, 30))),
            body=" ".join(rng.choices(words, k=rng.randint(0, 300))),
            pillars=rng.sample(["inclusion", "business-case", "data"], rng.randint(0, 2)),
            councils=["E0001", f"E{n % 7:04d}"],
            status=rng.choice(["running", "concluded"]),
            tags="data tags",
        )
        for n in range(1, count + 1)
    ]


def build(path: Path, docs: list[SearchDocument], bulk: bool) -> Any:
    path.mkdir()
    index = whoosh_index.create_in(str(path), make_schema())
    if bulk:
        writer: Any = BulkSegmentWriter(index, ("content",), **whoosh_build.WRITER_OPTIONS)
    else:
        writer = index.writer(compound=False)
    for doc in docs:
        writer.add_document(**document_fields(doc))
    writer.commit()
    return index


def everything(index: Any) -> dict[str, Any]:
    """What a searcher can read: every posting with its block's statistics, and lengths."""
    seen: dict[str, Any] = {}
    with index.reader() as reader:
        for field, term in reader.all_terms():
            info = reader.term_info(field, term)
            matcher = reader.postings(field, term)
            postings = []
            while matcher.is_active():
                postings.append(
                    (
                        matcher.id(),
                        matcher.weight(),
                        matcher.value(),
                        matcher.block_min_length(),
                        matcher.block_max_length(),
                        matcher.block_max_weight(),
                    )
                )
                matcher.next()
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
            seen[f"{field}:{term!r}"] = (stats, info.max_weight(), info.min_id(), postings)
        for n in range(reader.doc_count_all()):
            seen[f"length {n}"] = reader.doc_field_length(n, "content")
            seen[f"stored {n}"] = reader.stored_fields(n)
        seen["total length"] = reader.field_length("content")
    return seen


def test_a_bulk_built_index_reads_exactly_like_one_whoosh_wrote(tmp_path: Path) -> None:
    docs = documents(400)  # common words span several 128-posting blocks
    plain = everything(build(tmp_path / "plain", docs, bulk=False))
    bulk = everything(build(tmp_path / "bulk", docs, bulk=True))
    assert plain.keys() == bulk.keys()
    assert plain == bulk
    assert any(len(v[3]) > 128 for k, v in plain.items() if k.startswith("content:"))


def test_a_build_shared_with_a_helper_process_holds_every_document_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whoosh_build, "HELPER_AFTER", 50)
    monkeypatch.setattr(whoosh_build, "BATCH", 20)
    docs = documents(400)
    (tmp_path / "shared").mkdir()
    fields = (document_fields(doc) for doc in docs)
    whoosh_build.build_generation(tmp_path / "shared", make_schema, ("content",), fields)
    shared = whoosh_index.open_dir(str(tmp_path / "shared"))
    alone = build(tmp_path / "alone", docs, bulk=True)
    assert len(shared._segments()) == 2  # the helper's segment came in beside ours
    with shared.searcher() as ours, alone.searcher() as theirs:
        ids = sorted(int(f["id"]) for f in ours.all_stored_fields())
        assert ids == [d.pilot_id for d in docs]
        for field, term in theirs.reader().all_terms():
            assert ours.doc_frequency(field, term) == theirs.doc_frequency(field, term)
        assert ours.reader().field_length("content") == theirs.reader().field_length("content")
    assert sorted(p.name for p in (tmp_path / "shared").iterdir() if p.is_dir()) == []
