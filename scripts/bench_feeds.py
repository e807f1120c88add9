"""How much a feed poll costs at 10,000 pilots: `make bench-feeds`.

Builds a scratch SQLite registry (10,000 public pilots across 100 councils, each with a
registered event), then times through the Flask test client:
  - an unchanged poll carrying the ETag (304, no body),
  - an unchanged poll without validators (200 from the cached bytes),
  - a poll after one pilot in the feed was edited (200, feed rebuilt).
and prints p50/p95 in milliseconds for each feed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("APP_ENV", "test")

from flask_migrate import upgrade
from sqlalchemy import insert, select

from app import create_app
from app.councils.models import Council
from app.extensions import db
from app.pillars.service import PILLAR_SLUGS
from app.pilots.models import Pilot, PilotEvent, PilotPillar

PILOTS = int(os.environ.get("BENCH_PILOTS", "10000"))
COUNCILS = 100
UNCHANGED_POLLS = int(os.environ.get("BENCH_POLLS", "300"))
CHANGED_POLLS = int(os.environ.get("BENCH_REBUILDS", "200"))
FEEDS = ("/feeds/pilots.atom", "/feeds/councils/b07.rss", "/feeds/events.atom",
         "/feeds/search.atom?q=reminders&pillar=inclusion")  # fmt: skip


def _fill() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    db.session.execute(
        insert(Council),
        [
            {"code": f"B{n:02d}", "official_name": f"Bench {n} Council", "nice_name": f"Bench {n}",
             "nation": "England", "updated_at": start}
            for n in range(COUNCILS)
        ],
    )  # fmt: skip
    council_ids = list(db.session.scalars(select(Council.id).order_by(Council.id)))
    rows = []
    for n in range(PILOTS):
        at = start + timedelta(minutes=n)
        rows.append({
            "slug": f"bench-pilot-{n}", "title": f"Bench pilot {n}: bin reminders by text",
            "summary": "Texting residents the day before collection.",
            "hypothesis": "We believe that reminders will cut missed bins by a fifth.",
            "case_study": "## What happened\n\n" + "Missed bins fell. " * 200,
            "lead_council_id": council_ids[n % COUNCILS], "status": "running",
            "planned_cost_pence": 1_000_000 + n, "start_date": date(2025, 1, 1),
            "planned_end_date": date(2025, 12, 31), "registered_at": at, "created_at": at,
            "updated_at": at,
        })  # fmt: skip
    db.session.execute(insert(Pilot), rows)
    pilot_ids = list(db.session.scalars(select(Pilot.id).order_by(Pilot.id)))
    db.session.execute(
        insert(PilotPillar),
        [
            {"pilot_id": p, "pillar_slug": PILLAR_SLUGS[(n // COUNCILS) % 6]}
            for n, p in enumerate(pilot_ids)
        ],  # every council has pilots under every pillar
    )
    db.session.execute(
        insert(PilotEvent),
        [
            {"pilot_id": p, "sequence": 1, "kind": "registered", "at": start + timedelta(minutes=i),
             "summary": "Registered", "detail": {}}
            for i, p in enumerate(pilot_ids)
        ],
    )  # fmt: skip
    db.session.commit()


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms"


def _time(client, url: str, headers: dict[str, str], status: int) -> float:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = time.perf_counter() - began
    assert response.status_code == status, (url, response.status_code)
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as tmp:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "INSTANCE_DIR": tmp,
            "SEARCH_INDEX_DIR": f"{tmp}/index", "SERVER_NAME": "localhost",
            "RATELIMIT_ENABLED": False,
        })  # fmt: skip
        with app.app_context():
            upgrade()
            began = time.perf_counter()
            _fill()
            took = time.perf_counter() - began
            print(f"{PILOTS:,} pilots in a scratch SQLite database ({took:.1f} s)", flush=True)
            client = app.test_client()
            # a pilot that is in every feed measured: council B07, pillar inclusion
            edited = db.session.scalars(
                select(Pilot)
                .join(Council)
                .join(PilotPillar)
                .where(Council.code == "B07", PilotPillar.pillar_slug == "inclusion")
                .order_by(Pilot.id.desc())
                .limit(1)
            ).one()
            for url in FEEDS:
                first = client.get(url)
                assert first.status_code == 200, url
                etag = first.headers["ETag"]
                not_modified = [
                    _time(client, url, {"If-None-Match": etag}, 304) for _ in range(UNCHANGED_POLLS)
                ]
                cached = [_time(client, url, {}, 200) for _ in range(UNCHANGED_POLLS)]
                rebuilt = []
                for n in range(CHANGED_POLLS):
                    edited.title = f"Bench pilot edited {n}: bin reminders"
                    edited.updated_at = datetime.now(UTC)
                    db.session.commit()
                    if "events" in url:  # the events feed changes when something happens
                        amended = PilotEvent(
                            pilot_id=edited.id, sequence=n + 2, kind="amended", detail={}
                        )
                        db.session.add(amended)
                        db.session.commit()
                    rebuilt.append(_time(client, url, {"If-None-Match": etag}, 200))
                print(f"\n{url}  ({len(first.data):,} bytes)")
                print(f"  unchanged, 304 by ETag     {_ms(not_modified)}   (n={UNCHANGED_POLLS})")
                print(f"  unchanged, 200 from cache  {_ms(cached)}   (n={UNCHANGED_POLLS})")
                print(
                    f"  changed, rebuilt           {_ms(rebuilt)}   (n={CHANGED_POLLS})", flush=True
                )
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
