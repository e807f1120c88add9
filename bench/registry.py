"""A registry of realistic variety for `make bench-pages`, written by bulk inserts.

400 councils from the real register (their codes, names, nations, regions and types; the busiest
lead most pilots), N pilots in every status and verdict with the search benchmark's Zipf
vocabulary, and in proportion: pillars, tags, partners, success measures, lifecycle events,
registered versions, progress updates, outcome reports (some late), approved extensions,
funding programmes and awards; and three people to sign in as: an editor, a council admin (both
of the busiest council) and a funder.

Rows go in through SQLAlchemy Core `insert(table)` with lists of dicts (one executemany per
table and batch), never the ORM object by object: 100,000 pilots take about a minute.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, text

from app.extensions import db
from app.pilots.counts import refresh_all_counts
from app.pilots.report_dates import refresh_all_report_dates
from scripts.bench_search import DOMAIN, PILLARS, SEED, vocabulary

# Bump when the data changes, so cached registries in bench-results/ are made again. (2: the
# first dozen pilots belong to the busiest council, one of each status, funded by the first
# programme, so a small registry has something in every list.)
GENERATOR_VERSION = 2
COUNCILS = 400
BATCH = 5_000
TODAY = date(2026, 12, 1)
# Shares of all pilots: most are live or finished, a few are private drafts.
STATUS_WEIGHTS = {
    "draft": 6, "registered": 14, "running": 34, "concluded": 32, "stopped": 8, "withdrawn": 6,
}  # fmt: skip
VERDICT_WEIGHTS = {"proved": 40, "disproved": 30, "inconclusive": 30}
PROGRAMMES = 12


@dataclass
class Registry:
    """What the page benchmark needs to find again in a generated registry."""

    council_code: str  # the busiest council: the editor's and the council admin's
    pilot_slug: str  # a concluded pilot of that council, with measures, updates and a report
    programme_slug: str
    editor_id: int
    admin_id: int
    funder_id: int
    # Added by bench/registry_choosing.py, a step of its own (0 and "": not yet added)
    idea_id: int = 0
    consultation_id: int = 0
    round_id: int = 0
    appraised_slug: str = ""


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def _bulk(name: str, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(_table(name)), rows[start : start + BATCH])


def register_councils(path: Path) -> list[dict[str, Any]]:
    """400 councils of the register as council rows: every current one (397), then former ones
    (a directory shows both)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows.sort(key=lambda r: (r["current-authority"] != "True", r["local-authority-code"]))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    councils = []
    for n, row in enumerate(rows[:COUNCILS], start=1):
        councils.append({
            "id": n, "code": row["local-authority-code"], "official_name": row["official-name"],
            "nice_name": row["nice-name"], "gss_code": row["gss-code"] or None,
            "nation": row["nation"], "region": row["region"],
            "la_type": row["local-authority-type"],
            "la_type_name": row["local-authority-type-name"],
            "is_current": row["current-authority"] == "True",
            "start_date": None, "end_date": None, "updated_at": now,
            # former councils lead few pilots
            "population": float(row.get("pop-2020") or 0) or 5_000.0,
        })  # fmt: skip
    return councils


class _Words:
    """Zipf-distributed text from the search benchmark's vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocab = vocabulary(rng)
        total = 0.0
        self.cumulative = []
        for rank in range(len(self.vocab)):
            total += 1 / (rank + 8)
            self.cumulative.append(total)

    def __call__(self, low: int, high: int) -> str:
        k = self.rng.randint(low, high)
        return " ".join(self.rng.choices(self.vocab, cum_weights=self.cumulative, k=k))


def _weighted(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def _people(council_id: int) -> tuple[int, int, int]:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    people = [("editor", council_id), ("council-admin", council_id), ("funder", None)]
    _bulk(
        "users",
        [
            {"id": n, "issuer": "https://bench.invalid", "subject": role, "name": f"Bench {role}",
             "email": f"{role}@bench.invalid", "email_verified": True, "created_at": now}
            for n, (role, _) in enumerate(people, start=1)
        ],
    )  # fmt: skip
    _bulk(
        "memberships",
        [
            {"user_id": n, "role": role, "council_id": council, "status": "approved",
             "created_at": now}
            for n, (role, council) in enumerate(people, start=1)
        ],
    )  # fmt: skip
    return 1, 2, 3


def _programmes(rng: random.Random) -> list[dict[str, Any]]:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    programmes = [
        {"id": n, "slug": f"bench-fund-{n}", "name": f"Bench Fund {n}",
         "funder_name": "Department for Bench", "funder_org_id": "GB-GOR-BENCH",
         "round": f"Round {n % 3 + 1}", "description": "", "opens_on": date(2022, 1, 1),
         "closes_on": date(2022, 3, 1), "total_budget_pence": 500_000_000,
         "report_due_days": rng.choice((None, None, 60, 120)), "conditions": "",
         "created_at": now, "updated_at": now}
        for n in range(1, PROGRAMMES + 1)
    ]  # fmt: skip
    _bulk("funding_programmes", programmes)
    _bulk(
        "funding_programme_pillars",
        [{"programme_id": p["id"], "pillar_slug": rng.choice(PILLARS)} for p in programmes],
    )
    return programmes


def _dates(rng: random.Random, status: str) -> tuple[date, date, date | None]:
    start = date(2019, 1, 1) + timedelta(days=rng.randint(0, 7 * 365))
    planned_end = start + timedelta(days=rng.randint(90, 540))
    if status in ("registered", "draft"):  # not started yet: dates ahead
        start = TODAY + timedelta(days=rng.randint(10, 300))
        planned_end = start + timedelta(days=rng.randint(90, 540))
    actual_end = None
    if status in ("concluded", "stopped"):
        actual_end = min(planned_end + timedelta(days=rng.randint(-60, 90)), TODAY)
    return start, planned_end, actual_end


def _advance_sequences() -> None:
    """PostgreSQL: rows written with their own ids leave each id sequence behind; move it on,
    so what the app creates next gets a free id."""
    if db.engine.dialect.name != "postgresql":
        return
    for name in ("councils", "users", "funding_programmes", "pilots"):
        db.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), MAX(id)) FROM {name}")  # noqa: S608
        )


def generate(n: int, register: Path) -> Registry:
    """Write a registry of `n` pilots into the current app's (empty, migrated) database."""
    rng = random.Random(SEED + n)
    words = _Words(rng)
    councils = register_councils(register)
    population = [c.pop("population") for c in councils]
    _bulk("councils", councils)
    count = len(councils)
    busiest = max(range(count), key=lambda i: population[i]) + 1
    editor, admin, funder = _people(busiest)
    programmes = _programmes(rng)
    leads = rng.choices(range(1, count + 1), weights=population, k=n)
    statuses = _weighted(rng, STATUS_WEIGHTS, n)
    # The first pilots: two of every status for the busiest council, so that even a registry
    # of 50 has something in every list its people see (the query-count test compares sizes).
    for k, status in enumerate(list(STATUS_WEIGHTS) * 2):
        if k < n:
            leads[k], statuses[k] = busiest, status
    tables: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "pilots", "pilot_pillars", "pilot_tags", "pilot_partners", "pilot_events",
            "success_measures", "pilot_versions", "outcome_reports", "report_extensions",
            "progress_updates", "funding_awards",
        )
    }  # fmt: skip
    showcase = ""
    for pid in range(1, n + 1):
        status, lead = statuses[pid - 1], leads[pid - 1]
        start, planned_end, actual_end = _dates(rng, status)
        created = datetime.combine(start, datetime.min.time(), UTC) - timedelta(days=60)
        updated = created + timedelta(days=rng.randint(1, 900), minutes=pid)
        updated = min(updated, datetime(2026, 11, 30, tzinfo=UTC))
        registered = None if status == "draft" else created + timedelta(days=20)
        verdict = _weighted(rng, VERDICT_WEIGHTS, 1)[0] if status == "concluded" else None
        title = words(4, 9).capitalize()
        slug = f"bench-{pid}-" + "-".join(title.lower().split()[:4])
        tables["pilots"].append({
            "id": pid, "slug": slug[:100], "title": title[:140], "summary": words(20, 50),
            "problem": words(10, 30), "hypothesis": "We believe that " + words(20, 40),
            "approach": words(10, 30), "offline_access": "",
            "case_study": words(150, 600) if status == "concluded" else "",
            "lead_council_id": lead, "location": "", "location_gss": None, "latitude": None,
            "longitude": None,
            "planned_cost_pence": rng.choice((None, rng.randint(1_000, 900_000) * 100)),
            "actual_cost_pence": rng.randint(1_000, 900_000) * 100 if actual_end else None,
            "start_date": start, "planned_end_date": planned_end, "actual_end_date": actual_end,
            "status": status, "verdict": verdict,
            "status_reason": "Funding ended" if status in ("stopped", "withdrawn") else "",
            "evaluation_design": rng.randint(1, 5), "registered_at": registered,
            "replicates_id": None, "replication_kind": None, "created_by_id": None,
            "updated_by_id": None, "created_at": created, "updated_at": updated,
        })  # fmt: skip
        for slug_ in rng.sample(PILLARS, rng.randint(1, 3)):
            tables["pilot_pillars"].append({"pilot_id": pid, "pillar_slug": slug_})
        for tag in rng.sample(DOMAIN, 3):
            tables["pilot_tags"].append({"pilot_id": pid, "tag": tag})
        for partner in set(rng.choices(range(1, count + 1), k=rng.choice((0, 0, 0, 1, 2)))):
            if partner != lead:
                tables["pilot_partners"].append({"pilot_id": pid, "council_id": partner})
        _life(rng, words, tables, pid, status, verdict, lead, created, registered, actual_end)
        if status != "draft" and (pid <= 12 or rng.random() < 0.12):
            programme = programmes[0] if pid <= 12 else rng.choice(programmes)
            amount = rng.randint(10_000, 400_000) * 100
            tables["funding_awards"].append({
                "programme_id": programme["id"], "pilot_id": pid, "recipient_council_id": lead,
                "reference": f"BENCH-{pid}", "amount_awarded_pence": amount,
                "amount_disbursed_pence": amount // rng.choice((1, 2, 4)),
                "award_date": start - timedelta(days=30), "planned_start_date": start,
                "planned_end_date": planned_end, "created_at": created, "updated_at": created,
            })  # fmt: skip
        if not showcase and lead == busiest and status == "concluded":
            showcase = slug[:100]
    for name, rows in tables.items():
        _bulk(name, rows)
    _advance_sequences()
    # Bulk inserts pass the ORM's flush, which keeps these in step.
    refresh_all_report_dates()
    refresh_all_counts()
    db.session.commit()
    if not showcase:  # a small registry: any public pilot of that council will do
        showcase = next(
            p["slug"]
            for p in tables["pilots"]
            if p["lead_council_id"] == busiest and p["status"] != "draft"
        )
    return Registry(
        council_code=councils[busiest - 1]["code"],
        pilot_slug=showcase,
        programme_slug=programmes[0]["slug"],
        editor_id=editor,
        admin_id=admin,
        funder_id=funder,
    )


def _life(
    rng: random.Random,
    words: _Words,
    tables: dict[str, list[dict[str, Any]]],
    pid: int,
    status: str,
    verdict: str | None,
    lead: int,
    created: datetime,
    registered: datetime | None,
    actual_end: date | None,
) -> None:
    """A pilot's measures, events, version, updates, outcome report and extension."""
    events = [("created", created)]
    if registered:
        events.append(("registered", registered))
        tables["pilot_versions"].append({
            "pilot_id": pid, "major": 1, "minor": 0, "snapshot": {"status": "registered"},
            "diff": {}, "reason": "", "author_id": None, "created_at": registered,
            "content_hash": f"{pid:064x}", "prev_hash": None,
        })  # fmt: skip
    if status in ("concluded", "stopped", "withdrawn"):
        events.append((status, registered + timedelta(days=200) if registered else created))
    for sequence, (kind, at) in enumerate(events, start=1):
        tables["pilot_events"].append({
            "pilot_id": pid, "sequence": sequence, "kind": kind, "at": at, "actor_id": None,
            "summary": kind.capitalize(), "detail": {},
        })  # fmt: skip
    for m in range(rng.randint(1, 3)):
        result = rng.randint(0, 100) if status == "concluded" else None
        tables["success_measures"].append({
            "pilot_id": pid, "name": words(3, 6)[:140], "method": "", "unit": "%",
            "baseline": 20, "target": 40, "disproved_if": 25, "direction": "higher",
            "time_frame": "", "kind": "primary" if m == 0 else "secondary", "post_hoc": False,
            "result_value": result, "result_date": actual_end if result is not None else None,
            "evidence_url": "", "evidence_description": "", "created_at": created,
        })  # fmt: skip
    if status in ("running", "concluded", "stopped"):
        for k in range(rng.choice((0, 1, 1, 2, 3))):
            on = created.date() + timedelta(days=90 * (k + 1))
            tables["progress_updates"].append({
                "pilot_id": pid, "council_id": lead, "author_id": None, "on": min(on, TODAY),
                "text": words(10, 40), "created_at": created + timedelta(days=90 * (k + 1)),
            })  # fmt: skip
    if status == "concluded" and actual_end and rng.random() < 0.85:
        tables["outcome_reports"].append({
            "pilot_id": pid, "narrative": words(30, 80), "advice": words(10, 30),
            "proposed_verdict": verdict, "verdict": verdict, "justification": "",
            "reported_on": min(actual_end + timedelta(days=rng.randint(10, 200)), TODAY),
            "author_id": None, "created_at": created,
        })  # fmt: skip
    if status == "running" and rng.random() < 0.03:
        tables["report_extensions"].append({
            "pilot_id": pid, "due_date": TODAY + timedelta(days=rng.randint(-30, 120)),
            "reason": "Data late", "approved_by_id": None,
            "approved_at": created + timedelta(days=300), "created_at": created,
        })  # fmt: skip
