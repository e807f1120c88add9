"""Search on several servers: how long server B takes to apply changes saved on server A.

    make bench-search-log                  # BENCH_N=10000 pilots, scratch SQLite
    BENCH_DATABASE_URL=postgresql+psycopg://... make bench-search-log   # on PostgreSQL (in a
                                           # database of its own, created and dropped there)

Two apps over one database, each with its own Whoosh index folder (two servers). The registry
is the search benchmark's generator (its Zipf vocabulary, 400 councils, 150-600-word case
studies). Server A edits 1, 10, 100 and 1,000 pilots (one transaction each, as many change-log
rows); server B then answers a search, applying them first (indexing.catch_up). Printed per
size: B's catch-up, wall and CPU time, median of BENCH_ROUNDS rounds; then what a search costs
B when its index is already in step (the one look at the log's head).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import generate
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import Pilot, PilotPillar
from app.search import indexing
from app.search.service import search_pilots

PILOTS = int(os.environ.get("BENCH_N", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SIZES = (1, 10, 100, 1000)


def server(database_url: str, folder: Path) -> Flask:
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_DIR": str(folder),
        "SEARCH_INDEX_DIR": str(folder / "index"), "SERVER_NAME": "localhost",
        "RATELIMIT_ENABLED": False, "PAGE_CACHE_ENABLED": False, "PAGE_CACHE_LISTEN": False,
    })  # fmt: skip


def fill() -> None:
    documents, _texts, _vocab, _weights = generate(PILOTS)
    codes = sorted({code for d in documents for code in d.councils})
    db.session.execute(
        insert(Council),
        [{"code": c, "official_name": f"{c} Council", "nice_name": c, "nation": "England"}
         for c in codes],
    )  # fmt: skip
    council_ids = dict(db.session.execute(select(Council.code, Council.id)).all())
    for start in range(0, len(documents), 2000):
        batch = documents[start : start + 2000]
        db.session.execute(
            insert(Pilot),
            [{"slug": f"bench-{d.pilot_id}", "title": d.title, "hypothesis": d.high,
              "case_study": d.body, "status": d.status, "verdict": d.verdict or None,
              "lead_council_id": council_ids[d.councils[0]], "created_at": d.updated_at,
              "updated_at": d.updated_at, "registered_at": d.updated_at}
             for d in batch],
        )  # fmt: skip
    slugs = dict(db.session.execute(select(Pilot.slug, Pilot.id)).all())
    db.session.execute(
        insert(PilotPillar),
        [{"pilot_id": slugs[f"bench-{d.pilot_id}"], "pillar_slug": p}
         for d in documents for p in d.pillars],
    )  # fmt: skip
    db.session.commit()


def timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def edit(a: Flask, ids: list[int], round_: int) -> None:
    with a.app_context():
        for pilot in db.session.scalars(select(Pilot).where(Pilot.id.in_(ids))):
            pilot.summary = f"Edited in round {round_}: reminders by text message."
        db.session.commit()


@contextlib.contextmanager
def scratch_database(folder: Path) -> Iterator[str]:
    """A new database: a SQLite file, or one created on BENCH_DATABASE_URL's server and dropped
    afterwards (never the database that URL names)."""
    server_url = os.environ.get("BENCH_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{folder}/bench.sqlite3"
        return
    name = f"bench_search_log_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="bench-search-log-") as tmp,
        scratch_database(Path(tmp)) as url,
    ):
        folder = Path(tmp)
        a, b = server(url, folder / "a"), server(url, folder / "b")
        with a.app_context():
            upgrade()
            began = time.perf_counter()
            fill()
            print(f"{PILOTS:,} pilots in {url.split(':')[0]} ({time.perf_counter() - began:.0f} s)")
            ids = list(db.session.scalars(select(Pilot.id).order_by(Pilot.id)))
        for name, application in (("A", a), ("B", b)):
            with application.app_context():
                took = timed(indexing.reindex)[0]
                print(f"server {name}: its own index built in {took:.0f} s")
        with b.app_context():
            search_pilots({"q": "reminders"}, 1)  # warm: searcher open, caches filled
        load = os.getloadavg()
        print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print("changes saved on A | B applies them before answering: wall p50 (CPU p50)")
        for size in SIZES:
            walls, cpus = [], []
            for round_ in range(ROUNDS):
                start = (round_ * size) % max(1, len(ids) - size)
                edit(a, ids[start : start + size], round_)
                with b.app_context():
                    wall, cpu = timed(indexing.catch_up)
                    assert (
                        indexing.change_log().behind(
                            indexing.whoosh_backend().directory.applied_change()
                        )
                        == 0
                    )
                walls.append(wall)
                cpus.append(cpu)
            print(
                f"{size:>18,} | {statistics.median(walls) * 1000:8.1f} ms "
                f"({statistics.median(cpus) * 1000:.1f} ms CPU)"
            )
        with b.app_context():
            checks = [timed(indexing.catch_up) for _ in range(200)]
            searches = [timed(lambda: search_pilots({"q": "reminders"}, 1)) for _ in range(50)]
        print(
            f"in step, the look at the log's head: p50 "
            f"{statistics.median(w for w, _ in checks) * 1000:.2f} ms; a whole search p50 "
            f"{statistics.median(w for w, _ in searches) * 1000:.1f} ms"
        )
        load = os.getloadavg()
        print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        for application in (a, b):
            with application.app_context():
                indexing.close_searchers()
                db.engine.dispose()


if __name__ == "__main__":
    main()
