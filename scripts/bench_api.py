"""What the JSON API costs beside the page it mirrors: `make bench-api`.

Builds the feeds benchmark's scratch SQLite registry (10,000 public pilots across 100 councils;
scripts/bench_feeds.py), indexes it with Whoosh, then times through the Flask test client:
  - GET /api/v1/pilots?q=… against GET /search?q=… for the same queries, each request with an
    address of its own (an ignored `n`) so the page cache never answers /search: the ratio of
    their p50s must stay at or under 1.2;
  - a page of 100 pilots, GET /api/v1/pilots?per_page=100&page=N, over many pages: p95 ≤ 50 ms;
    and the same with `facets=1`. Each is also timed in CPU (time.process_time) per request, as
    the page-speed bench does: on a shared, loaded machine the wall time includes waiting for a
    core, the CPU time does not.
The app runs as in production: answers are not checked against their schemas
(API_VALIDATE_RESPONSES), which the tests and schemathesis do.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("APP_ENV", "test")

from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.search import indexing
from scripts.bench_feeds import PILOTS, _fill

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
QUERIES = ("reminders", "missed bins", "text&pillar=inclusion", "bin reminders&sort=newest")
RATIO_LIMIT, P95_LIMIT_MS = 1.2, 50.0


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * share) - 1)] * 1000


def _timed(client, url: str, cpu: list[float] | None = None) -> float:  # type: ignore[no-untyped-def]
    began, began_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = time.perf_counter() - began
    if cpu is not None:
        cpu.append(time.process_time() - began_cpu)
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def _page_of_100(client, extra: str) -> float:  # type: ignore[no-untyped-def]
    """Time pages of 100 (newest first, over 100 pages); print wall and CPU p50 / p95."""
    cpu: list[float] = []
    pages = [
        _timed(client, f"/api/v1/pilots?per_page=100&sort=newest&page={1 + n % 100}{extra}", cpu)
        for n in range(REQUESTS)
    ]
    p95 = _percentile(pages, 0.95)
    print(
        f"a page of 100 pilots{extra or ''}: p50 {_percentile(pages, 0.5):.2f} ms,"
        f" p95 {p95:.2f} ms; CPU p50 {_percentile(cpu, 0.5):.2f} ms,"
        f" p95 {_percentile(cpu, 0.95):.2f} ms (n={REQUESTS}; limit {P95_LIMIT_MS:.0f} ms)",
        flush=True,
    )
    return p95


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "INSTANCE_DIR": tmp,
            "SEARCH_INDEX_DIR": f"{tmp}/index", "SERVER_NAME": "localhost",
            "RATELIMIT_ENABLED": False, "API_VALIDATE_RESPONSES": False,
        })  # fmt: skip
        failed = False
        with app.app_context():
            upgrade()
            _fill()
            indexing.reindex()
            print(f"{PILOTS:,} pilots, indexed with Whoosh", flush=True)
            client = app.test_client()
            print(f"\n{'query':28} {'/search p50':>12} {'API p50':>9} {'ratio':>6}")
            for query in QUERIES:
                for warm in ("/search?q=", "/api/v1/pilots?q="):
                    client.get(warm + query)
                page_times, api_times = [], []
                for n in range(REQUESTS):  # interleaved, so both see the same machine
                    page_times.append(_timed(client, f"/search?q={query}&n={n}"))
                    api_times.append(_timed(client, f"/api/v1/pilots?q={query}&n={n}"))
                page, api = statistics.median(page_times), statistics.median(api_times)
                ratio = api / page
                failed |= ratio > RATIO_LIMIT
                print(f"{query:28} {page * 1000:9.2f} ms {api * 1000:6.2f} ms {ratio:6.2f}")
            print()
            failed |= _page_of_100(client, "") > P95_LIMIT_MS
            _page_of_100(client, "&facets=1")  # facets are asked for, not the default
            db.session.remove()
            db.engine.dispose()
        print("\nwithin the limits" if not failed else "\nOVER A LIMIT", flush=True)
        return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
