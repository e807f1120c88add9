"""`make bench-cluster`: the registry on two gunicorn servers behind nginx (bench/cluster.py), one
PostgreSQL database and Redis, loaded with the demo. Prints:

(a) how long after a pilot is registered through server A it is in server B's list of pilots
    (a page B had cached before the save), and found by B's search: p50 / p95 / max over
    BENCH_SAVES registrations (50);
(b) a read mix through nginx without waits (pilot pages, /pilots, home, councils, search, the
    feed), from BENCH_CLIENTS connections (16, a process each) for BENCH_SECONDS (15):
    requests/s, p50 and p95, errors, and the CPU time the servers and the load generator used,
    with one server in nginx's upstream and with two;
(c) a server killed under that mix and started again at once (as a supervisor would), over
    BENCH_RECOVERY_SECONDS (60): the readers' errors and p95 meanwhile, how long until it
    answers /healthz, and until nginx sends it requests again.

Settings: BENCH_SAVES, BENCH_CLIENTS, BENCH_SECONDS, BENCH_WORKERS (2 per server),
BENCH_POSTGRES_URL (else scripts/ensure-postgres.sh's). Everything runs on this machine: the
servers, nginx, PostgreSQL and the load generator share its cores.
"""

from __future__ import annotations

import collections
import http.client
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cluster import Cluster, ensure_redis, processes  # noqa: E402
from bench.load import drop_postgres, postgres_database  # noqa: E402

SAVES = int(os.environ.get("BENCH_SAVES", "50"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
RECOVERY_SECONDS = float(os.environ.get("BENCH_RECOVERY_SECONDS", "60"))
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far (their children's not included)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


# (a) from a save on A to B


def drafts_to_register(database_url: str, folder: Path) -> tuple[int, list[tuple[str, str]]]:
    """A council editor and SAVES draft pilots ready to register (a primary measure each), made
    through the models as the tests' factories make them; returns the editor and (slug, word)."""
    os.environ.setdefault("APP_ENV", "development")
    from app import create_app
    from app.auth.service import DEV_ISSUER
    from tests.factories import create_council, create_measure, create_pilot, create_user

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SEARCH_INDEX_DIR": str(folder / "bench-index"),
            "INSTANCE_DIR": str(folder / "bench-instance"),
        }
    )
    with app.app_context():
        council = create_council(code="CLU", nice_name="Clustershire")
        editor = create_user("editor", council, issuer=DEV_ISSUER, subject="cluster-bench").id
        drafts = []
        for n in range(SAVES):
            word = "".join(random.choices("abcdefghijklmnopqrstuvwxyz", k=12))
            pilot = create_pilot(
                council, status="draft", slug=f"cluster-{n}", title=f"Cluster pilot {word}"
            )
            create_measure(pilot)
            drafts.append((pilot.slug, word))
    return editor, drafts


def polls_until(check, limit: float = 30.0) -> int:  # type: ignore[no-untyped-def]
    """Ask `check()` until it is true; how many times it was asked (1: at once)."""
    started = time.perf_counter()
    asked = 1
    while not check() and time.perf_counter() - started < limit:
        asked += 1
        time.sleep(0.002)
    return asked


def save_on_a_seen_on_b(cluster: Cluster, editor: int, drafts: list[tuple[str, str]]) -> None:
    import requests

    a, b = cluster.server_urls
    seen: dict[str, list[tuple[float, int]]] = {
        "in its list of pilots": [],
        "found by its search": [],
    }
    with requests.Session() as person, requests.Session() as reader:
        page = person.get(f"{a}/auth/dev").text
        person.post(f"{a}/auth/dev", data={"csrf_token": CSRF.search(page)[1], "user_id": editor})
        for slug, word in drafts:
            for _ in range(4):  # in the page cache of each of B's workers before the save
                reader.get(f"{b}/pilots")
            form = person.get(f"{a}/pilots/{slug}/register").text
            saved = person.post(
                f"{a}/pilots/{slug}/register",
                data={"csrf_token": CSRF.search(form)[1]},
                allow_redirects=False,
            )
            assert saved.status_code == 302, saved.status_code
            acknowledged = time.perf_counter()
            checks = {
                "in its list of pilots": lambda s=slug: (
                    f"/pilots/{s}" in reader.get(f"{b}/pilots").text
                ),
                "found by its search": lambda s=slug, w=word: (
                    f"/pilots/{s}" in reader.get(f"{b}/search?q={w}").text
                ),
            }
            for what, check in checks.items():
                asked = polls_until(check)
                seen[what].append((time.perf_counter() - acknowledged, asked))
    print(f"\n(a) registered on server A ({len(drafts)} pilots), then asked of server B:")
    for what, results in seen.items():
        ms = [t * 1000 for t, _ in results]
        first = sum(1 for _, asked in results if asked == 1)
        print(
            f"  {what:20} at B's first request {first}/{len(results)}; from A's answer:"
            f" p50 {percentile(ms, 0.5):6.1f} ms  p95 {percentile(ms, 0.95):6.1f} ms"
            f"  max {max(ms):6.1f} ms"
        )
    print("  (the times include B's answer: /pilots, cached before the save; the search, uncached)")


# (b) and (c): a read mix without waits


def read_paths() -> list[str]:
    import csv

    with (ROOT / "content" / "demo" / "pilots.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["status"] != "draft"]
    words = sorted({w.lower() for row in rows for w in re.findall(r"[A-Za-z]{5,}", row["title"])})
    councils = sorted({row["lead_council"].lower() for row in rows})
    paths = [f"/pilots/{row['slug']}" for row in rows] * 4
    paths += ["/pilots", "/pilots?page=2", "/"] * 6 + [f"/councils/{c}" for c in councils]
    paths += [f"/search?q={urllib.parse.quote(w)}" for w in words[:40]]
    paths += ["/feeds/pilots.atom"] * 4
    return paths


def client(args: tuple[str, float, int]) -> tuple[list[tuple[float, float, int]], float]:
    """One connection (kept alive) reading random paths until `stop_at`: (start, seconds, status)
    per request, status 0 for a connection error; and the CPU seconds the client used."""
    cpu = time.process_time()
    url, stop_at, seed = args
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    chooser = random.Random(seed)
    paths = read_paths()
    results = []
    connection = http.client.HTTPConnection(host, port, timeout=30)
    while (started := time.time()) < stop_at:
        try:
            connection.request("GET", chooser.choice(paths))
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=30)
            status = 0
        results.append((started, time.time() - started, status))
    connection.close()
    return results, time.process_time() - cpu


def read_mix(cluster: Cluster, seconds: float, during=None):  # type: ignore[no-untyped-def]
    """CLIENTS connections, a process each, for `seconds` (while `during()` runs, if given);
    returns the requests, the CPU seconds the servers and nginx used (None if a process was
    killed meanwhile: its time is lost with it) and the CPU seconds the clients used."""
    before = {pid: cpu_seconds([pid]) for pid in processes(cluster)}
    stop_at = time.time() + seconds
    jobs = [(cluster.url, stop_at, n) for n in range(CLIENTS)]
    with multiprocessing.get_context("fork").Pool(CLIENTS) as pool:
        pending = pool.map_async(client, jobs, chunksize=1)
        if during is not None:
            during()
        done = pending.get()
    after = {pid: cpu_seconds([pid]) for pid in processes(cluster)}
    server_cpu = None
    if set(before) <= set(after):
        server_cpu = sum(after.values()) - sum(before.values())
    results = [r for chunk, _ in done for r in chunk]
    return results, server_cpu, sum(cpu for _, cpu in done)


def report(label: str, results, seconds: float, server_cpu, load_cpu: float) -> None:  # type: ignore[no-untyped-def]
    times = [r[1] * 1000 for r in results]
    failed = collections.Counter(r[2] for r in results if r[2] == 0 or r[2] >= 500)
    errors = ", ".join(f"{n}× {status or 'cut off'}" for status, n in failed.items()) or "0"
    cpu = ""
    if server_cpu is not None:
        per_request = server_cpu * 1000 / max(len(results), 1)
        cpu = f"   CPU: servers+nginx {server_cpu:5.1f} s ({per_request:.1f} ms a request)"
    if load_cpu:
        cpu += f", clients {load_cpu:5.1f} s"
    print(
        f"  {label:18} {len(results) / seconds:6.1f} req/s  p50 {percentile(times, 0.5):6.1f} ms"
        f"  p95 {percentile(times, 0.95):6.1f} ms  errors {errors}{cpu}"
    )


def one_and_two_servers(cluster: Cluster) -> None:
    print(
        f"\n(b) read mix through nginx, {CLIENTS} connections without waits, {SECONDS:.0f} s each"
        f" ({WORKERS} workers per server):"
    )
    read_mix(cluster, 3)  # warm each worker's page cache
    cluster.take_out(1)
    one = read_mix(cluster, SECONDS)
    report("one server", one[0], SECONDS, one[1], one[2])
    cluster.put_back(1)
    read_mix(cluster, 3)
    two = read_mix(cluster, SECONDS)
    report("two servers", two[0], SECONDS, two[1], two[2])
    ratio = len(two[0]) / max(len(one[0]), 1)
    print(f"  two ÷ one: {ratio:.2f}× the requests/s (one machine: both share its cores)")


def kill_and_recover(cluster: Cluster) -> None:
    killed = f"127.0.0.1:{cluster.servers[0].port}"
    marks: dict[str, float] = {}

    def kill_then_start() -> None:
        time.sleep(5)
        marks["kill"] = time.time()
        cluster.kill(0)
        cluster.start(0)  # at once, as systemd's Restart=always would
        marks["healthy"] = time.time()

    results, _, load_cpu = read_mix(cluster, RECOVERY_SECONDS, during=kill_then_start)
    back = [
        float(fields[0])
        for fields in (line.split() for line in cluster.access_log.read_text().splitlines())
        if fields[2] == killed and fields[1] == "200" and float(fields[0]) > marks["healthy"]
    ]
    print("\n(c) server A killed (SIGKILL, master and workers) under the read mix, started again:")
    report("whole run", results, RECOVERY_SECONDS, None, load_cpu)
    down = [r for r in results if marks["kill"] <= r[0] <= marks["healthy"]]
    report("while A was down", down, marks["healthy"] - marks["kill"], None, 0)
    print(f"  A answered /healthz again {marks['healthy'] - marks['kill']:.1f} s after the kill")
    if back:
        print(f"  nginx sent A requests again {back[0] - marks['kill']:.1f} s after the kill")
    else:
        print("  nginx had not sent A a request again by the end of the run")


def main() -> None:
    admin, database_url = postgres_database()
    redis_url = os.environ.get("BENCH_REDIS_URL") or ensure_redis()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start; the")
    print("servers, nginx, PostgreSQL and the load generator share them, on loopback.")
    env = {
        "RATELIMIT_FORM_POSTS_PER_USER": "100000 per minute",
        "RATELIMIT_FORM_POSTS_PER_ADDRESS": "100000 per minute",
        "RATELIMIT_SIGN_IN": "1000 per minute",
    }
    try:
        with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
            folder = Path(tmp)
            subprocess.run(
                [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "db", "upgrade"],
                cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url}, check=True,
                capture_output=True,
            )  # fmt: skip
            editor, drafts = drafts_to_register(database_url, folder)
            with Cluster(
                2, WORKERS, database_url=database_url, redis_url=redis_url, env=env,
                folder=folder / "cluster",
            ) as cluster:  # fmt: skip
                cluster.flask(["demo", "load"])
                save_on_a_seen_on_b(cluster, editor, drafts)
                one_and_two_servers(cluster)
                kill_and_recover(cluster)
    finally:
        drop_postgres(admin, database_url)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end (other engineers share the machine)")


if __name__ == "__main__":
    main()
