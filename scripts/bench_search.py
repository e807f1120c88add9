# ruff: noqa: S608, SIM905 (SQL built from constants; word lists read best as text)
"""Search benchmark: the Whoosh backend against SQLite FTS5 over the same synthetic pilots.

    make bench-search                 # N=10000
    BENCH_N=100000 make bench-search  # takes many minutes

Generates N seeded published pilots (a Zipf vocabulary of real domain words and synthetic
words, 150-600-word case studies, 400 councils), builds the Whoosh index with the app's own
code (app.search.whoosh) and an FTS5 table, then runs 200 queries of each kind in a
fresh process per engine (a serving worker: reused searcher, nothing else loaded) and prints
p50/p95 per kind with the Whoosh/FTS5 ratio, build times, save-to-searchable times and the
worker's memory.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.common.money import cost_band
from app.search.backend import SearchRequest
from app.search.documents import SearchDocument
from app.search.query import parse_query
from app.search.whoosh import WhooshBackend

SEED = 20261128
QUERIES_PER_KIND = 200
KINDS = (
    "one common word",
    "two words",
    "phrase",
    "rare word",
    "pillar and status filter",
    "facet counts",
    "top 20 with highlights",
    "page 10",
)
COMMON = """
the of and to in a is that for it as was with be by on not he this are or his from at which but
have an they you were her she there been one all we their has would when if so no will can more
about other into some could them than then now only its also new after first two may over such
most our made before must through where much these well
""".split()
DOMAIN = """
council residents service digital pilot trial chatbot data team officers housing tax benefits
parking waste recycling bins library social care adult children school transport roads potholes
planning licensing payments online forms calls contact centre automation automated automating
process staff training users research interviews survey feedback evidence outcome measure
measures cost savings budget funding procurement supplier platform system integration api cloud
security privacy consent accessibility inclusion offline assisted vulnerable elderly carers
families tenants repairs homelessness temporary accommodation council-tax arrears debt advice
employment skills apprenticeships business rates grants economic development climate energy
retrofit heating flooding drainage trees parks leisure sports museums events registrars births
deaths marriages elections voters electoral register customer journey prototype discovery alpha
beta live agile sprint backlog dashboard analytics machine learning predictive model risk triage
referral case management caseworkers appointments booking scheduling reminders text sms email
letters notifications satisfaction complaints response time waiting lists demand capacity
partners health nhs police fire community volunteers voluntary sector charities neighbourhood
ward councillors cabinet scrutiny governance policy strategy transformation change hypothesis
baseline comparison control group randomised evaluation results findings lessons learned
recommendations scale rollout replicate adopt share open source
""".split()
PILLARS = (
    "understanding-needs", "business-case", "developing-solutions", "inclusion",
    "measuring-effectiveness", "communicating-success",
)  # fmt: skip
STATUSES = ("registered", "running", "concluded", "stopped", "withdrawn")
REGIONS = (
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West", "Scotland", "Wales",
    "Northern Ireland",
)  # fmt: skip
TYPES = ("UA", "NMD", "MD", "LBO", "CTY", "SCO", "WPA", "NID")


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    syllables = [a + b for a in "bcdfghklmnprstvw" for b in ("a", "e", "i", "o", "u", "ay", "ee")]
    words: list[str] = []
    seen = set(COMMON) | set(DOMAIN)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        word += rng.choice(("", "", "s", "ing", "ed", "tion", "ment", "ly"))
        if word not in seen:
            seen.add(word)
            words.append(word)
    # Real words first (most frequent), then synthetic ones, in a Zipf-like order.
    return COMMON + DOMAIN + words


def generate(n: int) -> tuple[list[SearchDocument], dict[int, str], list[str], list[float]]:
    rng = random.Random(SEED)
    vocab = vocabulary(rng)
    weights = [1 / (rank + 8) for rank in range(len(vocab))]
    cumulative: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)

    def words(k: int) -> str:
        return " ".join(rng.choices(vocab, cum_weights=cumulative, k=k))

    councils = [
        (f"C{i:03d}", f"{vocab[200 + i].capitalize()}shire", rng.choice(REGIONS), rng.choice(TYPES))
        for i in range(400)
    ]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    documents: list[SearchDocument] = []
    texts: dict[int, str] = {}
    for pilot_id in range(1, n + 1):
        lead = rng.choice(councils)
        partners = rng.sample(councils, rng.choice((0, 0, 0, 1, 2)))
        pillars = rng.sample(PILLARS, rng.randint(1, 3))
        status = rng.choice(STATUSES)
        cost = rng.choice((None, rng.randint(1_000, 900_000) * 100))
        title = words(rng.randint(4, 9)).capitalize()
        hypothesis = "We believe that " + words(rng.randint(20, 40))
        summary = words(rng.randint(20, 50))
        tags = " ".join(rng.sample(DOMAIN, 3))
        case_study = words(rng.randint(150, 600))
        body = "\n".join((words(40), words(40), case_study, lead[1], *(p[1] for p in partners)))
        documents.append(
            SearchDocument(
                pilot_id=pilot_id,
                title=title,
                high=f"{hypothesis}\n{tags}\n{summary}",
                body=body,
                pillars=pillars,
                councils=[lead[0], *(p[0] for p in partners)],
                region=lead[2],
                council_type=lead[3],
                status=status,
                verdict=rng.choice(("proved", "disproved", "inconclusive"))
                if status == "concluded"
                else "",
                cost_band=cost_band(cost) or "",
                cost_pence=cost if cost is not None else -1,
                start_year=str(rng.randint(2019, 2026)),
                updated_at=start + timedelta(minutes=pilot_id),
                similar_text=f"{title} {hypothesis} {tags}",
                tags=tags,
            )
        )
        texts[pilot_id] = f"{summary}\n{hypothesis}\n{case_study}"
    return documents, texts, vocab, weights


def document_frequencies(documents: list[SearchDocument], words: list[str]) -> dict[str, float]:
    sample = documents[: min(len(documents), 2000)]
    token_sets = [set(re.findall(r"\w+", f"{d.title} {d.high} {d.body}".lower())) for d in sample]
    return {w: sum(w in s for s in token_sets) / len(sample) for w in words}


def query_mix(documents: list[SearchDocument], vocab: list[str]) -> dict[str, list[dict]]:
    rng = random.Random(SEED + 1)
    df = document_frequencies(documents, DOMAIN + vocab[len(COMMON) + len(DOMAIN) : 3000])
    common = [w for w, f in df.items() if 0.4 <= f <= 0.8 and w in DOMAIN] or DOMAIN[:20]
    middling = [w for w, f in df.items() if 0.05 <= f <= 0.4] or DOMAIN
    rare = vocab[-5000:]
    mix: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for _ in range(QUERIES_PER_KIND):
        doc = rng.choice(documents)
        body_words = re.findall(r"[a-z]+", doc.body.lower())
        i = rng.randrange(len(body_words) - 1)
        mix["one common word"].append({"q": rng.choice(common)})
        mix["two words"].append({"q": f"{rng.choice(common)} {rng.choice(middling)}"})
        mix["phrase"].append({"q": f'"{body_words[i]} {body_words[i + 1]}"'})
        mix["rare word"].append({"q": rng.choice(rare)})
        mix["pillar and status filter"].append(
            {"q": rng.choice(common), "pillar": rng.choice(PILLARS), "status": rng.choice(STATUSES)}
        )
        mix["facet counts"].append({"q": rng.choice(common), "facets": True})
        mix["top 20 with highlights"].append({"q": rng.choice(common), "highlight": True})
        mix["page 10"].append({"q": rng.choice(common), "page": 10})
    return mix


# FTS5 ------------------------------------------------------------------------------------

FTS_FACETS = ("region", "council_type", "status", "verdict", "cost", "year")


def build_fts(path: Path, documents: list[SearchDocument], texts: dict[int, str]) -> float:
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode=WAL;
        CREATE VIRTUAL TABLE docs USING fts5(title, high, body, tokenize='porter unicode61');
        CREATE TABLE facets (id INTEGER PRIMARY KEY, region, council_type, status, verdict, cost,
                             year, updated INTEGER, cost_pence INTEGER);
        CREATE TABLE multi (id INTEGER, facet TEXT, value TEXT);
        CREATE TABLE texts (id INTEGER PRIMARY KEY, text TEXT);
        """
    )
    db.executemany(
        "INSERT INTO docs(rowid, title, high, body) VALUES (?, ?, ?, ?)",
        ((d.pilot_id, d.title, d.high, d.body) for d in documents),
    )
    db.executemany(
        "INSERT INTO facets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                d.pilot_id,
                d.region,
                d.council_type,
                d.status,
                d.verdict,
                d.cost_band,
                d.start_year,
                int(d.updated_at.timestamp()),
                d.cost_pence,
            )
            for d in documents
        ),
    )
    db.executemany(
        "INSERT INTO multi VALUES (?, ?, ?)",
        (
            (d.pilot_id, facet, value)
            for d in documents
            for facet, values in (("pillar", d.pillars), ("council", d.councils))
            for value in values
        ),
    )
    db.executemany("INSERT INTO texts VALUES (?, ?)", texts.items())
    db.executescript(
        "CREATE INDEX multi_value ON multi(facet, value, id); CREATE INDEX multi_id ON multi(id);"
    )
    db.commit()
    db.close()
    return time.perf_counter() - started


def fts_match(q: str) -> str:
    parsed = parse_query(q)
    parts = []
    for clause in parsed.clauses:
        alternatives = " OR ".join('"' + " ".join(a.words) + '"' for a in clause.alternatives)
        parts.append(f"NOT ({alternatives})" if clause.negated else f"({alternatives})")
    return " AND ".join(parts)


def fts_query(db: sqlite3.Connection, spec: dict) -> None:
    match = fts_match(spec["q"])
    where, params = "docs MATCH ?", [match]
    if "pillar" in spec:
        # EXISTS per matching row: SQLite walks the FTS matches and probes the indexes.
        where += (
            " AND EXISTS (SELECT 1 FROM multi WHERE multi.id = docs.rowid"
            " AND facet = 'pillar' AND value = ?)"
            " AND EXISTS (SELECT 1 FROM facets WHERE facets.id = docs.rowid AND status = ?)"
        )
        params += [spec["pillar"], spec["status"]]
    offset = (spec.get("page", 1) - 1) * 20
    rows = db.execute(
        f"SELECT rowid FROM docs WHERE {where} ORDER BY bm25(docs, 10.0, 5.0, 1.0) "
        f"LIMIT 20 OFFSET {offset}",
        params,
    ).fetchall()
    if spec.get("page") or spec.get("facets"):
        db.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()
    if spec.get("facets"):
        db.execute("CREATE TEMP TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM hits")
        db.execute(f"INSERT INTO hits SELECT rowid FROM docs WHERE {where}", params)
        for facet in FTS_FACETS:
            db.execute(
                f"SELECT {facet}, count(*) FROM facets JOIN hits USING (id) GROUP BY {facet}"
            ).fetchall()
        db.execute(
            "SELECT facet, value, count(*) FROM multi JOIN hits USING (id) GROUP BY facet, value"
        ).fetchall()
    if spec.get("highlight"):
        ids = [r[0] for r in rows]
        db.execute(
            f"SELECT snippet(docs, 2, '\x02', '\x03', ' … ', 20) FROM docs "
            f"WHERE docs MATCH ? AND rowid IN ({','.join('?' * len(ids))})",
            [match, *ids],
        ).fetchall()


# Whoosh ----------------------------------------------------------------------------------


def whoosh_query(backend: WhooshBackend, texts_db: sqlite3.Connection, spec: dict) -> None:
    filters = {k: spec[k] for k in ("pillar", "status") if k in spec}
    request = SearchRequest(
        query=parse_query(spec["q"]),
        filters=filters,
        page=spec.get("page", 1),
        with_facets=bool(spec.get("facets")),
    )
    backend._facets.clear()  # measure the work, not the cache of a repeated query
    backend._filters.clear()
    results = backend.search(request)
    if spec.get("highlight"):
        ids = results.pilot_ids
        rows = texts_db.execute(
            f"SELECT id, text FROM texts WHERE id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
        backend.snippets(request.query, dict(rows))


def memory() -> dict[str, float]:
    values: dict[str, float] = {}
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("Rss", "Private_Clean", "Private_Dirty"):
                values[name] = int(rest.split()[0]) / 1024
    return {"rss": values["Rss"], "private": values["Private_Clean"] + values["Private_Dirty"]}


def worker(
    engine: str, index_dir: str, fts_path: str, mix: dict, out: multiprocessing.Queue
) -> None:
    """One serving process: open once, run every query, report timings and memory."""
    texts_db = sqlite3.connect(fts_path)
    backend = WhooshBackend(index_dir)
    if engine == "whoosh":
        backend.searcher()
    timings: dict[str, list[float]] = {}
    for kind, specs in mix.items():
        times = []
        for spec in specs:
            started = time.perf_counter()
            if engine == "whoosh":
                whoosh_query(backend, texts_db, spec)
            else:
                fts_query(texts_db, spec)
            times.append((time.perf_counter() - started) * 1000)
        timings[kind] = times
    out.put((engine, timings, memory()))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def save_to_searchable(
    backend: WhooshBackend, documents: list[SearchDocument], fts: Path
) -> tuple[list[float], list[float]]:
    rng = random.Random(SEED + 2)
    by_id = {d.pilot_id: d for d in documents}
    whoosh_times, fts_times = [], []
    db = sqlite3.connect(fts)
    for n in range(40):
        doc = by_id[rng.randint(1, len(documents))]
        token = f"zqx{n}marker"
        doc.title = f"{doc.title} {token}"
        started = time.perf_counter()
        backend.apply({doc.pilot_id}, lambda ids: ([by_id[i] for i in ids], set()))
        assert backend.search(SearchRequest(parse_query(token), with_facets=False)).pilot_ids
        whoosh_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        db.execute("UPDATE docs SET title=? WHERE rowid=?", (doc.title, doc.pilot_id))
        db.commit()
        assert db.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (token,)).fetchall()
        fts_times.append((time.perf_counter() - started) * 1000)
    backend.close()
    return whoosh_times, fts_times


def main() -> None:
    n = int(os.environ.get("BENCH_N", "10000"))
    work = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="bench-search-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    print(f"Generating {n:,} pilots (seed {SEED}) in {work} …", flush=True)
    started = time.perf_counter()
    documents, texts, vocab, _ = generate(n)
    words = sum(len(d.body.split()) + len(d.high.split()) for d in documents) / n
    print(f"  {time.perf_counter() - started:.1f}s, {words:.0f} words a pilot", flush=True)
    mix = query_mix(documents, vocab)

    fts_path = work / "fts.sqlite3"
    fts_build = build_fts(fts_path, documents, texts)
    print(f"FTS5 build: {fts_build:.1f}s", flush=True)
    backend = WhooshBackend(str(work / "whoosh"))
    started, cpu = time.perf_counter(), time.process_time()
    backend.rebuild(iter(documents), lambda ids: ([], set()))
    whoosh_build = time.perf_counter() - started
    whoosh_cpu = time.process_time() - cpu
    print(f"Whoosh build: {whoosh_build:.1f}s ({whoosh_cpu:.1f}s CPU)", flush=True)
    del texts

    context = multiprocessing.get_context("spawn")
    results = {}
    for engine in ("whoosh", "fts5"):
        queue = context.Queue()
        process = context.Process(
            target=worker, args=(engine, str(work / "whoosh"), str(fts_path), mix, queue)
        )
        process.start()
        name, timings, mem = queue.get()
        process.join()
        results[name] = (timings, mem)

    print(f"\nN = {n:,} pilots; {QUERIES_PER_KIND} queries a kind; p50 / p95 in ms")
    print(f"{'query kind':28} {'Whoosh':>15} {'FTS5':>15} {'p95 ratio':>10}")
    for kind in KINDS:
        w, f = results["whoosh"][0][kind], results["fts5"][0][kind]
        w50, w95, f50, f95 = (
            percentile(w, 50),
            percentile(w, 95),
            percentile(f, 50),
            percentile(f, 95),
        )
        ratio = w95 / max(f95, 0.01)
        print(f"{kind:28} {w50:6.1f} / {w95:6.1f} {f50:6.1f} / {f95:6.1f} {ratio:9.1f}x")
    print(f"\nBuild: Whoosh {whoosh_build:.1f}s ({whoosh_cpu:.1f}s CPU), FTS5 {fts_build:.1f}s")
    print(f"Load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    w_save, f_save = save_to_searchable(backend, documents, fts_path)
    print(
        f"Save to searchable: Whoosh p50 {percentile(w_save, 50):.1f} / p95 "
        f"{percentile(w_save, 95):.1f} ms; FTS5 p50 {percentile(f_save, 50):.1f} / p95 "
        f"{percentile(f_save, 95):.1f} ms"
    )
    for engine in ("whoosh", "fts5"):
        mem = results[engine][1]
        print(f"Worker memory, {engine}: RSS {mem['rss']:.0f} MB, private {mem['private']:.0f} MB")
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
