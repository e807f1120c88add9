"""Similar pilots from our ranker must be Whoosh's more-like-this: same pilots, same order.

Compared with Whoosh's full ranking (`limit=None`): asked for a top N over several segments,
Whoosh's collector (optimised or not) leaves out some better matches in segments its own writer
wrote, an older release's saves; ours never does, so an old index can list a better pilot."""

from __future__ import annotations

from typing import Any

import pytest
from whoosh.query import AndNot, Or, Term

from app.search.whoosh.ranking import Ranker
from app.search.whoosh.similar import similar_documents
from tests.search.whoosh.test_bulk import documents
from tests.search.whoosh.test_ranking import index  # noqa: F401 (the shared fixture)

# Pilots across the four segments, one deleted (3) and one replaced (45).
PILOTS = [1, 2, 45, 120, 201, 230, 265, 299]


@pytest.mark.parametrize("pilot_id", PILOTS)
@pytest.mark.parametrize("limit", [6, 50])
def test_similar_documents_are_whooshs_more_like_this(
    index: Any,  # noqa: F811
    pilot_id: int,
    limit: int,
) -> None:
    doc = documents(300)[pilot_id - 1]
    with index.searcher() as searcher:
        key_terms = searcher.key_terms_from_text(
            "content", f"{doc.title} {doc.high} {doc.tags}", numterms=12
        )
        assert len(key_terms) > 3 and len({w for _, w in key_terms}) > 1  # boosts differ
        query = Or([Term("content", word, boost=weight) for word, weight in key_terms])
        ranked = searcher.search(AndNot(query, Term("id", str(pilot_id))), limit=None)
        theirs = list(ranked)[:limit]
        itself = set(searcher.document_numbers(id=str(pilot_id)))
        ours = similar_documents(Ranker("content"), searcher, key_terms, itself, limit)
        assert ours == [hit.docnum for hit in theirs]
        assert len(ours) == min(limit, len(ranked))
