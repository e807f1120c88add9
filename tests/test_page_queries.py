"""Every page `make bench-pages` times asks the database the same number of questions whatever
the registry's size: counted at 50 pilots and at 500 (bench/registry.py makes both, with
every status, verdict, measure, update, report and award in proportion)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from sqlalchemy import event, select

from app.extensions import db
from app.pilots.models import Pilot
from app.search import indexing
from app.search.service import similar_pilots
from bench.pages import pages
from bench.registry import Registry, generate
from bench.registry_choosing import add_choosing_and_appraisals
from tests.conftest import FIXTURES, empty_database

SIZES = (50, 500)
# A list of ids bound into IN (...) has as many placeholders as ids: one statement all the same.
PLACEHOLDERS = re.compile(r"\((?:\?|%\(\w+\)s)(?:, (?:\?|%\(\w+\)s))*\)")


def _shape(statement: str) -> str:
    return PLACEHOLDERS.sub("(…)", " ".join(statement.split()))


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(_shape(statement))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _statements_per_page(
    anonymous: Any, client: Any, sign_in: Any, size: int
) -> dict[tuple[str, int], list[str]]:
    from app.auth.models import User

    registry = generate(size, FIXTURES / "councils.csv")
    indexing.reindex()  # similar pilots come from the index
    registry.pilot_slug = _pilot_with_similar_ones(registry)
    added = add_choosing_and_appraisals(size, registry.council_code, registry.pilot_slug)
    registry = Registry(**asdict(registry) | added)
    users = {"editor": registry.editor_id, "council-admin": registry.admin_id,
             "funder": registry.funder_id}  # fmt: skip
    counts = {}
    for number, (who, url) in enumerate(pages(registry)):
        fetch = anonymous if who == "public" else client
        if who != "public":
            sign_in(db.session.get(User, users[who]))
        assert fetch.get(url).status_code == 200, (who, url)  # warm: one-off lookups done
        # Requests share the test's session: start each with nothing already loaded in it.
        db.session.expunge_all()
        with counted_statements() as statements:
            response = fetch.get(url)
            response.get_data()  # a streamed export runs its queries as it is read
        assert response.status_code == 200, (who, url)
        counts[(who, number)] = list(statements)
    return counts


def _pilot_with_similar_ones(registry: Registry) -> str:
    """A public, funded pilot of the editor's council that lists similar pilots (the generator
    funds its first dozen): in a registry of 50 a pilot's key words can be its own alone, and
    an empty list, like no funding, asks a question fewer."""
    first = db.session.scalars(
        select(Pilot).where(Pilot.id <= 12, Pilot.status != "draft").order_by(Pilot.id)
    )
    return next(p.slug for p in first if similar_pilots(p))


def test_no_page_asks_more_questions_of_a_bigger_registry(client, sign_in, app_ctx) -> None:
    app_ctx.config["PAGE_CACHE_ENABLED"] = False
    anonymous = app_ctx.test_client()
    try:
        small = _statements_per_page(anonymous, client, sign_in, SIZES[0])
        empty_database()
        large = _statements_per_page(anonymous, client, sign_in, SIZES[1])
    finally:
        app_ctx.config["PAGE_CACHE_ENABLED"] = True
    urls = [url for _, url in pages_of_any_size()]
    grew = {  # the page, and each statement it asked more often of the bigger registry
        f"{who} {urls[number]}": [
            statement[-200:]
            for statement in Counter(large[(who, number)]) - Counter(small[(who, number)])
        ]
        for who, number in small
        if len(large[(who, number)]) > len(small[(who, number)])
    }
    assert not grew, "\n".join(f"{page}: {extra}" for page, extra in grew.items())
    assert len(small) >= 25


def pages_of_any_size() -> list[tuple[str, str]]:
    return pages(Registry("<code>", "<slug>", "<programme>", 1, 2, 3, 4, 5, 6, "<appraised>"))
