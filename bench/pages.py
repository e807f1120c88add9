"""`make bench-pages`: every public page, and every page an editor, a council admin and a funder
uses, timed uncached at 10,000 and 100,000 pilots.

    make bench-pages                      # N = 10,000 then 100,000
    BENCH_N=10000 make bench-pages        # one size
    BENCH_SECONDS=4 make bench-pages      # time budget per page (default 8 s, at least 3 runs)
    BENCH_PAGES=/councils,/map make bench-pages  # only the pages whose address holds one

Each registry (bench/registry.py) is generated once into bench-results/pages-<N>-v<version>/
(an SQLite file and its Whoosh index) and reused while the generator is unchanged; the schema is
brought up to date with `flask db upgrade` on every run. Pages are fetched through the Flask
test client with the page cache off (PAGE_CACHE=0), after one warm-up request each, and p50/p95
per page are printed, of the wall-clock time and of the process's CPU time (on a shared machine
the CPU time is the steadier figure: the database is SQLite, in the same process), with the
growth from the smallest N to the largest. An export's time to
its first byte is timed apart from its whole body, and the peak of the memory it allocates is
measured in one more fetch (tracemalloc). Results also go to bench-results/pages.csv.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import sys
import time
import tracemalloc
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "test")

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.registry import GENERATOR_VERSION, Registry, generate  # noqa: E402
from bench.registry_choosing import add_choosing_and_appraisals  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_N", "10000,100000").split(",")]
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
MAX_RUNS = int(os.environ.get("BENCH_RUNS", "30"))
REGISTER = Path(
    os.environ.get("BENCH_REGISTER", ROOT.parent / "shared/data/uk_local_authorities.csv")
)
OUT = ROOT / "bench-results"
# time only the pages whose address holds one of these (comma-separated)
ONLY = [part for part in os.environ.get("BENCH_PAGES", "").split(",") if part]


def pages(r: Registry) -> list[tuple[str, str]]:
    """(who, address) for every page timed; who is public, editor, council-admin or funder."""
    code, slug = r.council_code.lower(), r.pilot_slug
    public = [
        "/", "/pilots", "/pilots?pillar=inclusion", "/pilots?page=200",
        f"/pilots?council={code}&status=running", f"/pilots/{slug}", f"/pilots/{slug}/history",
        "/councils", "/councils?sort=reporting", f"/councils/{code}", "/pillars",
        "/pillars/inclusion", "/overdue", "/funding", f"/funding/programmes/{r.programme_slug}",
        "/search?q=council", "/feeds/pilots.atom", "/export/pilots.csv?pillar=inclusion",
        "/export/awards.csv",
        # what the issues since added: choosing, appraisals, maps and the API
        f"/ideas/{r.idea_id}", "/priorities",
        f"/councils/{code}/priorities", f"/consultations/{r.consultation_id}",
        f"/consultations/{r.consultation_id}/results.csv", f"/rounds/{r.round_id}",
        f"/rounds/{r.round_id}.csv", f"/pilots/{r.appraised_slug}/appraisal", "/business-cases",
        "/map", f"/councils/{code}/embed", "/api/v1/pilots", "/api/v1/pilots?per_page=100",
        "/api/v1/pilots?q=council&per_page=100",
    ]  # fmt: skip
    editor = ["/your-pilots", "/your-pilots?group=reports-due", "/pilots/new",
              f"/pilots/{slug}/edit", f"/pilots/{slug}/updates/new",
              f"/councils/{code}/ideas"]  # fmt: skip
    admin = ["/your-pilots", f"/councils/{code}/members", f"/councils/{code}/audit",
             "/account"]  # fmt: skip
    funder = ["/funding/dashboard", "/funding/dashboard.csv?table=council-record",
              "/funding/dashboard.csv?table=overdue"]  # fmt: skip
    return (
        [("public", p) for p in public]
        + [("editor", p) for p in editor]
        + [("council-admin", p) for p in admin]
        + [("funder", p) for p in funder]
    )


def registry_for(n: int) -> tuple[Flask, Registry]:
    """The app over the cached registry of n pilots, generating it (and its index) if needed."""
    folder = OUT / f"pages-{n}-v{GENERATOR_VERSION}"
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/registry.sqlite3",
        "INSTANCE_DIR": str(folder), "SEARCH_INDEX_DIR": str(folder / "index"),
        "SERVER_NAME": "localhost", "RATELIMIT_ENABLED": False, "PAGE_CACHE_ENABLED": False,
        "WTF_CSRF_ENABLED": True,
    })  # fmt: skip
    described = folder / "registry.json"
    with app.app_context():
        if not described.exists():
            from app.search import indexing

            folder.mkdir(parents=True, exist_ok=True)
            (folder / "registry.sqlite3").unlink(missing_ok=True)
            upgrade()
            began = time.perf_counter()
            registry = generate(n, REGISTER)
            print(f"{n:,} pilots generated in {time.perf_counter() - began:.1f} s", flush=True)
            began = time.perf_counter()
            indexing.reindex()
            indexing.wait_for_rebuild()
            print(f"  search index built in {time.perf_counter() - began:.1f} s", flush=True)
            described.write_text(json.dumps(asdict(registry)))
        upgrade()
        registry = Registry(**json.loads(described.read_text()))
        if not registry.idea_id:  # made before ideas, rounds and appraisals were added
            began = time.perf_counter()
            added = add_choosing_and_appraisals(n, registry.council_code, registry.pilot_slug)
            print(f"  ideas, rounds, appraisals added in {time.perf_counter() - began:.1f} s")
            described.write_text(json.dumps(asdict(registry) | added))
        # Fold the write-ahead log into the file: reads through a log of the whole generation
        # (430 MB at 100,000 pilots) made every page several times slower.
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()
    return app, Registry(**json.loads(described.read_text()))


def _client(app: Flask, user_id: int | None):  # type: ignore[no-untyped-def]
    client = app.test_client()
    if user_id is not None:
        from app.auth.models import User
        from app.auth.sessions import SESSION_KEY, issue_session_token

        with app.app_context():
            token = issue_session_token(db.session.get(User, user_id))
        with client.session_transaction() as session:
            session[SESSION_KEY] = token
    return client


def _fetch(client, url: str) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Seconds to the first byte of the body and to its end, and the CPU seconds it took."""
    began, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, buffered=False)
    body = iter(response.response)
    first = next(body, b"")
    to_first = time.perf_counter() - began
    size = len(first) + sum(len(chunk) for chunk in body)
    total = time.perf_counter() - began
    response.close()
    assert response.status_code == 200, (url, response.status_code)
    assert size > 0, url
    return to_first, total, time.process_time() - cpu


def _peak_memory(client, url: str) -> float:  # type: ignore[no-untyped-def]
    """MB of Python memory at the peak of one more fetch, over what was held before it
    (tracemalloc: slows the fetch, so it is not one of the timed runs)."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        _fetch(client, url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak - before) / 1e6


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * 0.95) - 1))]


def time_pages(n: int) -> dict[tuple[str, str], dict[str, float]]:
    app, registry = registry_for(n)
    users = {"public": None, "editor": registry.editor_id,
             "council-admin": registry.admin_id, "funder": registry.funder_id}  # fmt: skip
    clients = {who: _client(app, uid) for who, uid in users.items()}
    results = {}
    print(f"\n{n:,} pilots: p50 / p95 ms, and CPU ms p50 / p95 (runs)", flush=True)
    for who, url in pages(registry):
        if ONLY and not any(part in url for part in ONLY):
            continue
        client = clients[who]
        _fetch(client, url)  # warm: templates compiled, searcher open
        firsts: list[float] = []
        totals: list[float] = []
        cpus: list[float] = []
        started = time.perf_counter()
        while len(totals) < MAX_RUNS and (
            len(totals) < 3 or time.perf_counter() - started < SECONDS
        ):
            first, total, cpu = _fetch(client, url)
            firsts.append(first)
            totals.append(total)
            cpus.append(cpu)
        figures = {
            "p50": statistics.median(totals) * 1000, "p95": _p95(totals) * 1000,
            "cpu_p50": statistics.median(cpus) * 1000, "cpu_p95": _p95(cpus) * 1000,
            "first_byte_p95": _p95(firsts) * 1000, "runs": len(totals),
        }  # fmt: skip
        extra = ""
        if "/export" in url:
            figures["peak_mb"] = _peak_memory(client, url)
            extra = (
                f"  first byte p95 {figures['first_byte_p95']:.1f}"
                f", peak memory {figures['peak_mb']:.1f} MB"
            )
        results[(who, url)] = figures
        print(
            f"  {who:13} {url[:56]:56} {figures['p50']:8.1f} {figures['p95']:8.1f}"
            f"  cpu {figures['cpu_p50']:7.1f} {figures['cpu_p95']:7.1f} ({len(totals)}){extra}",
            flush=True,
        )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> None:
    OUT.mkdir(exist_ok=True)
    by_size = {n: time_pages(n) for n in SIZES}
    rows = []
    for n, results in by_size.items():
        for (who, url), figures in results.items():
            rows.append({"n": n, "who": who, "page": url, **figures})
    with (OUT / "pages.csv").open("w", newline="") as handle:
        fields = list(dict.fromkeys(key for row in rows for key in row))
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    if len(SIZES) < 2 or ONLY:
        return
    small, large = by_size[min(SIZES)], by_size[max(SIZES)]
    print(f"\ngrowth {min(SIZES):,} → {max(SIZES):,} pilots (p95 ratio: wall, CPU)")
    # pages() lists the same pages in the same order at every size (only slugs differ)
    for ((who, url), big), before in zip(large.items(), small.values(), strict=True):
        wall, cpu = big["p95"] / before["p95"], big["cpu_p95"] / before["cpu_p95"]
        print(f"  {who:13} {url[:56]:56} {wall:6.2f}× {cpu:6.2f}×")


if __name__ == "__main__":
    main()
