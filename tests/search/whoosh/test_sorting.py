"""Listing by a column (newest, cheapest) must give Whoosh's own sorted order, ties and all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Every, Term

from app.search.whoosh.bulk import BulkSegmentWriter
from app.search.whoosh.index import document_fields, make_schema
from app.search.whoosh.sorting import ColumnOrder
from tests.search.whoosh.test_bulk import documents


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Three segments, one as a rebuild writes it, with deletions; dates and costs that tie."""
    path: Path = tmp_path_factory.mktemp("sorting")
    index = whoosh_index.create_in(str(path), make_schema())
    docs = documents(240)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for doc in docs:
        doc.updated_at = start + timedelta(minutes=(doc.pilot_id * 7) % 60)
        doc.cost_pence = -1 if doc.pilot_id % 9 == 0 else (doc.pilot_id * 37) % 500
    for first, last in ((0, 150), (150, 200), (200, 240)):
        writer = (
            BulkSegmentWriter(index, ("content",), compound=False) if first == 0 else index.writer()
        )
        for doc in docs[first:last]:
            writer.add_document(**document_fields(doc))
        writer.commit(merge=False)
    writer = index.writer()
    for n in (4, 160, 230):
        writer.delete_by_term("id", str(n))
    writer.commit(merge=False)
    return index


@pytest.mark.parametrize(("field", "reverse"), [("updated", True), ("cost_pence", False)])
@pytest.mark.parametrize("count", [5, 20, 1000])
@pytest.mark.parametrize("query", [None, Term("content", "council")])
@pytest.mark.parametrize("filtered", [False, True])
def test_column_order_is_whooshs(
    index: Any, field: str, reverse: bool, count: int, query: Any, filtered: bool
) -> None:
    with index.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 3
        allowed = set(searcher.docs_for_query(Term("status", "running"))) if filtered else None
        theirs = searcher.search(
            query or Every(), filter=allowed, limit=count, sortedby=field, reverse=reverse
        )
        docs = None if query is None else set(searcher.docs_for_query(query))
        found = ColumnOrder().best(searcher, field, reverse, count, docs, allowed)
        assert found is not None
        ours, total = found
        assert ours == [hit.docnum for hit in theirs]
        expected = set(searcher.docs_for_query(query or Every()))
        assert total == len(expected & allowed if allowed is not None else expected)
        assert len(ours) == min(count, total) and len(set(ours)) == len(ours)


def test_deleted_documents_are_never_listed(index: Any) -> None:
    with index.searcher() as searcher:
        found = ColumnOrder().best(searcher, "updated", True, 1000, None, None)
        assert found is not None
        listed = {int(searcher.stored_fields(n)["id"]) for n in found[0]}
        assert found[1] == searcher.doc_count() == 237
        assert listed.isdisjoint({4, 160, 230}) and len(listed) == 237


def test_a_field_without_a_numeric_column_is_left_to_whoosh(index: Any) -> None:
    with index.searcher() as searcher:
        assert ColumnOrder().best(searcher, "digest", False, 5, None, None) is None
