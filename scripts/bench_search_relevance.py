"""Search relevance over the demo: recall@10 and nDCG@10 of the judged set, on both backends.

    make bench-search            # runs this after the speed benchmark
    .venv/bin/python scripts/bench_search_relevance.py [--show]

Loads the demo into a throwaway SQLite database (Whoosh) and, when the PostgreSQL server named
by BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres) answers, into a
throwaway database there (the PostgreSQL backend); asks /search's service for each query of
tests/search/judged.py and prints the figures and every query that misses a pilot it must find,
lists one it must not, or ends at a dead end. `--show` prints each query's top ten.

BENCH_APP_ROOT runs another checkout's app (its own code, this checkout's judged set): how the
README's "before" figures were measured on main.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

HERE = Path(__file__).resolve().parent.parent
APP_ROOT = Path(os.environ.get("BENCH_APP_ROOT", HERE)).resolve()
sys.path.insert(0, str(APP_ROOT))
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _judged() -> object:
    spec = importlib.util.spec_from_file_location("judged", HERE / "tests/search/judged.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["judged"] = module
    spec.loader.exec_module(module)
    return module


def measure_backend(backend: str, database_url: str, tmp: Path, show: bool) -> object:
    from flask_migrate import upgrade

    from app import create_app
    from app.content.demo import load_demo
    from app.search import indexing, service

    judged = _judged()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SEARCH_BACKEND": backend,
            "SEARCH_INDEX_DIR": str(tmp / f"index-{backend}"),
            "INSTANCE_DIR": str(tmp / "instance"),
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context(), app.test_request_context():
        upgrade()
        load_demo()
        indexing.reindex()

        def top_ten(query: str) -> list[str]:
            return [p.slug for p in service.search_pilots({"q": query}, 1).page.items[:10]]

        figures = judged.measure(top_ten)  # type: ignore[attr-defined]
        if show:
            for query in judged.JUDGED:  # type: ignore[attr-defined]
                print(f"  {query.query!r}: {', '.join(top_ten(query.query))}")
        indexing.close_searchers()
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()
    return figures


def _postgres_database() -> tuple[str, str] | None:
    try:
        admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = f"bench_relevance_{os.getpid()}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as error:  # no server: Whoosh alone
        print(f"PostgreSQL not reachable ({error.__class__.__name__}): Whoosh only")
        return None
    return name, POSTGRES.rsplit("/", 1)[0] + "/" + name


def _drop(name: str) -> None:
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    show = "--show" in sys.argv
    judged = _judged()
    print(f"\nRelevance over the demo: {len(judged.JUDGED)} judged queries (app: {APP_ROOT})")  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as tmp:
        results = {"whoosh": measure_backend("whoosh", f"sqlite:///{tmp}/demo.db", Path(tmp), show)}
        database = _postgres_database()
        if database is not None:
            try:
                results["postgres"] = measure_backend("postgres", database[1], Path(tmp), show)
            finally:
                _drop(database[0])
    print(f"{'backend':10} {'recall@10':>10} {'nDCG@10':>8} {'dead ends':>10} {'wrong':>6}")
    for name, figures in results.items():
        print(
            f"{name:10} {figures.recall:10.3f} {figures.ndcg:8.3f} "  # type: ignore[attr-defined]
            f"{len(figures.dead_ends):10d} {len(figures.wrong):6d}"  # type: ignore[attr-defined]
        )
    for name, figures in results.items():
        for line in figures.problems():  # type: ignore[attr-defined]
            print(f"  {name}: {line}")


if __name__ == "__main__":
    main()
