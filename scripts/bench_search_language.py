"""What understanding a query costs: the fallback (no pilot has all the words) and the
expansions (council words, compounds) against the plain query, at BENCH_N synthetic pilots.

    make bench-search                       # runs this too, at BENCH_N (default 10,000)
    BENCH_N=100000 .venv/bin/python scripts/bench_search_language.py   # slow: builds 100k
    BENCH_BACKENDS=whoosh,postgres …   # PostgreSQL too (BENCH_POSTGRES_URL's server)

The pilots are bench_search.py's (same seed and vocabulary). Each query goes through
app.search.answering.answer(), as /search sends it, in a serving process with one searcher,
facet counts on (what /search asks for), caches cleared before each query. Kinds:

- plain two words: a common and a middling word, all must match (`exact`: no thesaurus);
- no pilot has all: the same two words and an unknown word, so the AND finds nothing, the
  suggestion is looked for and the pilots with most of the words are ranked;
- with council words: a domain word that is in the thesaurus and a middling word, expanded;
  against the same query searched `exact`.

On PostgreSQL the same pilots are written into a throwaway database (built by the migrations)
with their vectors, and the same queries go through the PostgreSQL backend.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import (  # type: ignore[import-not-found]
    DOMAIN,
    SEED,
    document_frequencies,
    generate,
    percentile,
)
from flask import Flask
from sqlalchemy import create_engine, insert, text

from app.search.answering import answer
from app.search.backend import SearchRequest
from app.search.expansion import current_thesaurus
from app.search.query import parse_query
from app.search.whoosh import WhooshBackend

QUERIES = int(os.environ.get("BENCH_QUERIES", "200"))  # fewer for a quick PostgreSQL run
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def mix(documents: list, vocab: list[str]) -> dict[str, list[tuple[str, bool]]]:
    """Kind → (query, exact) pairs."""
    rng = random.Random(SEED + 3)
    df = document_frequencies(documents, DOMAIN + vocab[len(DOMAIN) : 3000])
    common = [w for w, f in df.items() if 0.4 <= f <= 0.8 and w in DOMAIN] or DOMAIN[:20]
    middling = [w for w, f in df.items() if 0.05 <= f <= 0.4] or DOMAIN
    thesaurus = current_thesaurus()
    council_words = [w for w in DOMAIN if thesaurus.synonyms([w])]
    kinds: dict[str, list[tuple[str, bool]]] = {
        "plain two words": [],
        "no pilot has all": [],
        "council words, exact": [],
        "council words, expanded": [],
    }
    for n in range(QUERIES):
        two = f"{rng.choice(common)} {rng.choice(middling)}"
        kinds["plain two words"].append((two, True))
        kinds["no pilot has all"].append((f"{two} qzxv{n}w", True))
        expanded = f"{rng.choice(council_words)} {rng.choice(middling)}"
        kinds["council words, exact"].append((expanded, True))
        kinds["council words, expanded"].append((expanded, False))
    return kinds


def run(backend: object, query: str, exact: bool) -> None:
    if isinstance(backend, WhooshBackend):
        backend._facets.clear()  # measure the work, not the cache of a repeated query
        backend._filters.clear()
    answer(backend, SearchRequest(query=parse_query(query)), exact=exact)  # type: ignore[arg-type]


def timed(backend: object, kinds: dict[str, list[tuple[str, bool]]]) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    for kind, queries in kinds.items():
        times = []
        for query, exact in queries:
            started = time.perf_counter()
            run(backend, query, exact)
            times.append((time.perf_counter() - started) * 1000)
        timings[kind] = times
    return timings


def postgres_timings(documents: list, kinds: dict) -> dict[str, list[float]]:
    """The same queries on the PostgreSQL backend, over the same pilots."""
    from datetime import UTC, datetime

    from flask_migrate import upgrade

    from app import create_app
    from app.councils.models import Council
    from app.extensions import db
    from app.pilots.models import Pilot
    from app.search.postgres_backend import PostgresBackend

    name = f"bench_language_{os.getpid()}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = POSTGRES.rsplit("/", 1)[0] + "/" + name
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SEARCH_BACKEND": "postgres"})
        with app.app_context():
            upgrade()
            codes = sorted({code for d in documents for code in d.councils})
            db.session.execute(
                insert(Council.__table__),  # type: ignore[arg-type]
                [{"id": i + 1, "code": c, "official_name": c, "nice_name": c, "nation": "England"}
                 for i, c in enumerate(codes)],
            )  # fmt: skip
            council_ids = {c: i + 1 for i, c in enumerate(codes)}
            now = datetime.now(UTC)
            for start in range(0, len(documents), 2000):
                chunk = documents[start : start + 2000]
                db.session.execute(
                    insert(Pilot.__table__),  # type: ignore[arg-type]
                    [{"id": d.pilot_id, "slug": f"p{d.pilot_id}", "title": d.title[:140],
                      "hypothesis": d.high, "case_study": d.body, "status": d.status,
                      "lead_council_id": council_ids[d.councils[0]], "created_at": now,
                      "updated_at": now} for d in chunk],
                )  # fmt: skip
                PostgresBackend(db.session).write_vectors(chunk, [])
            db.session.commit()
            db.session.execute(text("ANALYZE"))
            backend = PostgresBackend(db.session)
            timings = timed(backend, kinds)
            db.session.remove()
            db.engine.dispose()
        return timings
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def report(engine: str, n: int, timings: dict[str, list[float]]) -> None:
    p95 = {kind: percentile(times, 95) for kind, times in timings.items()}
    print(f"\nUnderstanding a query on {engine}, N = {n:,} pilots; p50 / p95 in ms")
    for kind, times in timings.items():
        print(f"{kind:26} {percentile(times, 50):7.1f} / {p95[kind]:7.1f}")
    fallback = p95["no pilot has all"] / p95["plain two words"]
    expansion = p95["council words, expanded"] / p95["council words, exact"]
    print(f"fallback / plain p95: {fallback:.2f}x; expanded / exact p95: {expansion:.2f}x")


def main() -> None:
    n = int(os.environ.get("BENCH_N", "10000"))
    engines = os.environ.get("BENCH_BACKENDS", "whoosh").split(",")
    work = Path(tempfile.mkdtemp(prefix="bench-search-language-"))
    app = Flask(__name__)
    app.config["CONTENT_DIR"] = str(Path(__file__).resolve().parent.parent / "content")
    try:
        documents, _, vocab, _ = generate(n)
        with app.app_context():
            kinds = mix(documents, vocab)
        if "whoosh" in engines:
            backend = WhooshBackend(str(work / "whoosh"))
            backend.rebuild(iter(documents), lambda ids: ([], set()))
            backend.close()
            with app.app_context():
                backend = WhooshBackend(str(work / "whoosh"))  # a serving worker's searcher
                backend.searcher()
                report("Whoosh", n, timed(backend, kinds))
                backend.close()
        if "postgres" in engines:
            report("PostgreSQL", n, postgres_timings(documents, kinds))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
