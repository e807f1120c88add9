"""The judged set (judged.py) over the demo, on both backends: recall@10 at least 0.9, no
query at a dead end, no pilot a query must not list in its top ten."""

from __future__ import annotations

from app.content.demo import load_demo
from app.search import indexing, service
from tests.search.judged import JUDGED, measure

RECALL_TARGET = 0.9


def top_ten(query: str) -> list[str]:
    return [pilot.slug for pilot in service.search_pilots({"q": query}, 1).page.items[:10]]


def test_the_judged_set_meets_its_targets(app_ctx, backend):
    load_demo()
    indexing.reindex()
    assert len(JUDGED) >= 50
    with app_ctx.test_request_context():
        figures = measure(top_ten)
    assert figures.dead_ends == []
    assert figures.wrong == []
    assert figures.recall >= RECALL_TARGET, figures.problems()


def test_the_three_queries_from_the_issue(app_ctx, backend):
    load_demo()
    indexing.reindex()
    with app_ctx.test_request_context():
        older = top_ten("older people offline")
        chat = top_ten("chat bot")
        exclusion = top_ten("digital exclusion")
    assert older[0] == "kec-visitor-parking-assisted-route"
    assert {"man-council-tax-chatbot", "crf-bilingual-recycling-chatbot"} <= set(chat[:4])
    assert {"man-library-digital-inclusion-hubs", "wbk-lambourn-digital-champion"} <= set(
        exclusion[:3]
    )
