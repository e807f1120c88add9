"""A page of pilots from the API asks the database the same questions however many pilots it
holds: the councils, partners and pillars of the whole page are read together, not per pilot,
and a page without `facets=1` asks nothing for the facets."""

from __future__ import annotations

from tests.factories import create_council, create_pilot
from tests.test_page_queries import counted_statements


def _page_statements(api, path: str) -> list[str]:
    with counted_statements() as statements:
        assert api.get(path).status_code == 200
    return list(statements)


def test_a_page_of_pilots_asks_as_many_questions_for_3_pilots_as_for_30(api, whoosh):
    from app.search import indexing

    partner = create_council(code="PAR")
    for n in range(3):
        create_pilot(create_council(), partners=[partner], pillars=["inclusion"], title=f"A {n}")
    indexing.reindex()
    path = "/api/v1/pilots?per_page=100&sort=newest"
    few = _page_statements(api, path)
    for n in range(27):
        create_pilot(create_council(), partners=[partner], pillars=["inclusion"], title=f"B {n}")
    indexing.reindex()
    many = _page_statements(api, path + "&n=2")
    assert len(many) == len(few), many
    assert api.get(path).get_json()["total"] == 30
    faceted = _page_statements(api, path + "&facets=1")
    assert len(faceted) > len(many)  # the facets' own questions, only when asked for
