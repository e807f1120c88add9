"""On PostgreSQL, every statement behind a page that shows 20 pilots (or 50 councils) can be
answered through an index: with sequential scans priced out (`enable_seqscan = off`), no plan
reads the whole pilots table (nor the report dates kept for the overdue list and reporting
records). (A planner given a few hundred rows scans them anyway, so the
test asks whether an index path exists, not which one a small table would take.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text

from app.extensions import db
from app.search import indexing
from bench.registry import generate
from tests.conftest import FIXTURES

pytestmark = pytest.mark.postgres_only
# Tables with a row per pilot: the pilots, and what is kept of them for the overdue list and the
# reporting records (report_dates).
WHOLE_TABLES = ("pilots", "report_dates")


@contextmanager
def captured_statements() -> Iterator[list[tuple[str, Any]]]:
    captured: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        captured.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        yield captured
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)


def _plans_reading_all_pilots(statements: list[tuple[str, Any]]) -> list[str]:
    found = []
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            read = [table for table in WHOLE_TABLES if table in statement]
            if not read or not statement.lstrip().upper().startswith("SELECT"):
                continue
            rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
            plan = "\n".join(row[0] for row in rows)
            if any(f"Seq Scan on {table} " in plan for table in read):
                found.append(f"{' '.join(statement.split())[:300]}\n{plan}")
        connection.rollback()
    return found


def test_pages_of_twenty_never_scan_every_pilot(client, app_ctx, sign_in) -> None:
    from app.auth.models import User

    registry = generate(500, FIXTURES / "councils.csv")
    indexing.reindex()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    app_ctx.config["PAGE_CACHE_ENABLED"] = False
    code = registry.council_code.lower()
    pages = [
        "/pilots", "/pilots?pillar=inclusion", "/pilots?page=20",
        f"/pilots?council={code}&status=running", f"/councils/{code}", "/councils",
        f"/pilots/{registry.pilot_slug}", "/", "/overdue", "/overdue?page=2",
        "/councils?sort=reporting", "/pillars", "/pillars/inclusion",
        f"/funding/programmes/{registry.programme_slug}",
        f"/funding/programmes/{registry.programme_slug}?page=2", "/business-cases",
    ]  # fmt: skip
    # The funder's dashboard counts the funded trials: each by id from its awards.
    signed_in = ["/funding/dashboard", "/funding/dashboard.csv?table=council-record"]
    try:
        for url in pages:
            with captured_statements() as statements:
                assert client.get(url).status_code == 200, url
            assert any(t in s for s, _ in statements for t in WHOLE_TABLES), url
            assert _plans_reading_all_pilots(statements) == [], url
        sign_in(db.session.get(User, registry.funder_id))
        for url in signed_in:
            with captured_statements() as statements:
                response = client.get(url)
                assert response.status_code == 200, url
                response.get_data()
            assert _plans_reading_all_pilots(statements) == [], url
    finally:
        app_ctx.config["PAGE_CACHE_ENABLED"] = True
