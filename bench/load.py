"""`make bench-load`: the registry under gunicorn, on SQLite and on PostgreSQL, loaded by locust on
loopback at 10, 25 and 50 users; prints p50/p95/p99 per endpoint, then reads, editors' pages and
writes apart (writers change pilots readers see, about one a second: bench/locustfile.py), the
CPU each request cost the app, the database and the load generator, and the pilot page's requests
per second as a share of a bare Flask hello world's under the same gunicorn.

Settings: BENCH_SECONDS (60), BENCH_USERS ("10,25,50"), BENCH_WORKERS (4), BENCH_RATIO_USERS (25),
BENCH_DATABASES ("sqlite,postgresql"), BENCH_POSTGRES_URL (else scripts/ensure-postgres.sh's),
BENCH_WRITE_RATE (writes a second, 1; 0 for the mix before writers), BENCH_URL (load a server
already running the demo instead: no set-up, no CPU figures), BENCH_CLUSTER=1 (PostgreSQL through
bench/cluster.py's nginx, with one server and then two; BENCH_CLUSTER_WORKERS per server, 2).
"""

from __future__ import annotations

import csv
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import (  # noqa: E402
    Timings,
    children_cpu,
    cpu_spent,
    descendants_cpu,
    load_average,
    processes_cpu,
    read_timings,
)

PYTHON = sys.executable
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
USERS = [int(n) for n in os.environ.get("BENCH_USERS", "10,25,50").split(",")]
WORKERS = os.environ.get("BENCH_WORKERS", "4")
RATIO_USERS = int(os.environ.get("BENCH_RATIO_USERS", "25"))
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
WRITE_RATE = float(os.environ.get("BENCH_WRITE_RATE", "1"))
CLUSTER = os.environ.get("BENCH_CLUSTER", "0") == "1"
CLUSTER_WORKERS = int(os.environ.get("BENCH_CLUSTER_WORKERS", "2"))
MIX = ["ReaderUser", "SearcherUser", "FeedPollerUser", "EditorUser"] + (
    ["WriterUser"] if WRITE_RATE > 0 else []
)
WRITERS = 4  # one for each pilot under way of the demo's editors: WriterUser.fixed_count
MIX_NAME = "readers, searchers, feed pollers, editors" + (
    f"; and {WRITERS} writers, {WRITE_RATE:g} writes/s" if WRITE_RATE > 0 else ""
)
OUT = ROOT / "bench-results"
# Every simulated person comes from 127.0.0.1, and three editors write far more often than people
# do: the limits on form posts and sign-ins (per address and per user) would refuse them.
UNLIMITED = {
    "RATELIMIT_SIGN_IN": "10000 per minute",
    "RATELIMIT_FORM_POSTS_PER_USER": "10000 per minute",
    "RATELIMIT_FORM_POSTS_PER_ADDRESS": "10000 per minute",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, what: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/", timeout=5).close()  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{what} did not start")


@contextmanager
def gunicorn(target: str, env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "--workers", WORKERS, "--bind", f"127.0.0.1:{port}",
         "--preload", "--log-level", "warning", target],
        cwd=ROOT, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, target)
        yield url
    finally:
        server.terminate()
        server.wait(30)


@contextmanager
def cluster(servers: int, env: dict[str, str]) -> Iterator[str]:
    """bench/cluster.py's nginx in front of `servers` gunicorns sharing the PostgreSQL database
    and a Redis."""
    from bench.cluster import Cluster  # type: ignore[import-not-found]

    redis = subprocess.run(
        ["bash", "scripts/ensure-redis.sh"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    own = {key: env[key] for key in ("APP_ENV", "SECRET_KEY", *UNLIMITED)}
    with Cluster(
        servers=servers, workers=CLUSTER_WORKERS, database_url=env["DATABASE_URL"],
        redis_url=redis, env=own,
    ) as running:  # fmt: skip
        wait_for(running.url, "the cluster")
        yield running.url


@dataclass
class Run:
    """One locust run: its CSV rows, each kind's timings, and the CPU seconds it cost."""

    rows: list[dict[str, str]]
    timings: Timings
    cpu: dict[str, float]
    seconds: float
    load: str

    @property
    def total(self) -> dict[str, str]:
        return self.rows[-1]

    @property
    def rate(self) -> float:
        """Requests a second, as locust counts them."""
        return float(self.total["Requests/s"])

    @property
    def errors(self) -> int:
        return int(self.total["Failure Count"])

    @property
    def requests(self) -> int:
        return int(self.total["Request Count"])

    def per_request_ms(self, kind: str) -> float:
        return 1000 * self.cpu.get(kind, 0.0) / max(self.requests, 1)


def locust(
    url: str, users: int, classes: list[str], label: str, *,
    wait: bool = True, database_pids: Callable[[], list[int]] = list,
) -> Run:  # fmt: skip
    """Run locust headless against `url`; CPU is counted for this process's descendants (the
    app's servers), the database backends `database_pids` names, and locust itself."""
    prefix = OUT / label
    times = OUT / f"{label}_times.json"
    times.unlink(missing_ok=True)
    env = {**os.environ, "BENCH_TIMES": str(times), "BENCH_WAIT": "1" if wait else "0",
           "BENCH_WRITE_RATE": str(WRITE_RATE)}  # fmt: skip
    users += WRITERS if "WriterUser" in classes else 0  # fixed_count: on top of the others
    before = {**descendants_cpu(), **processes_cpu(database_pids())}
    generator, started = children_cpu(), time.monotonic()
    subprocess.run(
        [PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(users), "-t", f"{SECONDS}s", "--host", url,
         "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR", *classes],
        check=False, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.monotonic() - started
    cpu = cpu_spent(before, {**descendants_cpu(), **processes_cpu(database_pids())})
    cpu["load generator"] = children_cpu() - generator
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    timings = read_timings(times) if times.exists() else Timings({}, {})
    return Run(rows, timings, cpu, seconds, load_average())


def print_table(rows: list[dict[str, str]]) -> None:
    heading = ("endpoint", "requests", "errors", "p50", "p95", "p99", "req/s")
    print("  {:34} {:>8} {:>6} {:>6} {:>6} {:>6} {:>7}".format(*heading))
    for row in rows:
        name = "TOTAL" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        print(
            f"  {name[:34]:34} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {float(row['Requests/s']):>7.1f}"
        )
    total = rows[-1]
    rate = int(total["Failure Count"]) / max(int(total["Request Count"]), 1)
    print(f"  error rate {rate:.2%} (times in ms)")


def print_run(run: Run) -> None:
    """The run's kinds of request apart, what it cost in CPU, and whether readers saw the
    writes."""
    print_table(run.rows)
    for kind, label in (("read", "reads"), ("editor", "editors' pages"), ("write", "writes")):
        if run.timings.kinds.get(kind) and run.timings.kinds[kind].requests:
            print(f"  {label:15} {run.timings.kinds[kind].line()}")
    if WRITE_RATE > 0 and "write" in run.timings.kinds:
        writes = run.timings.kinds["write"]
        print(f"  writes a second: {writes.requests / SECONDS:.2f}")
    seen = run.timings.last_summary_seen
    if seen:
        at_once = sum(1 for delay in seen.values() if delay == 0)
        late = [f"{delay:.1f} s" if delay is not None else "not in 10 s" for delay in seen.values()
                if delay != 0]  # fmt: skip
        print(f"  an anonymous reader, at the end, sees each pilot's last summary written: "
              f"{at_once} of {len(seen)} pilots at once" + (f"; late: {', '.join(late)}"
              if late else ""))  # fmt: skip
    costs = ", ".join(
        f"{kind} {run.per_request_ms(kind):.2f} ms ({run.cpu[kind]:.1f} s)" for kind in run.cpu
    )
    print(f"  CPU a request: {costs}; {run.requests} requests, {run.rate:.1f} a second")
    print(f"  load average after the run: {run.load}")


def postgres_admin() -> str:
    return os.environ.get("BENCH_POSTGRES_URL") or subprocess.run(
        ["bash", "scripts/ensure-postgres.sh"], cwd=ROOT, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip


def postgres_database() -> tuple[str, str]:
    admin = postgres_admin()
    import sqlalchemy

    name = f"bench_{secrets.token_hex(4)}"
    engine = sqlalchemy.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin, sqlalchemy.engine.make_url(admin).set(database=name).render_as_string(False)


def drop_postgres(admin: str, url: str) -> None:
    import sqlalchemy

    name = sqlalchemy.engine.make_url(url).database
    engine = sqlalchemy.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def backends(admin: str, url: str) -> Callable[[], list[int]]:
    """The pids of the PostgreSQL backends connected to the benchmark's database (the server
    runs on this machine: their CPU time is in /proc)."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(admin, poolclass=sqlalchemy.pool.NullPool)
    name = sqlalchemy.engine.make_url(url).database

    def pids() -> list[int]:
        with engine.connect() as conn:
            query = "SELECT pid FROM pg_stat_activity WHERE datname = :name"
            return list(conn.execute(sqlalchemy.text(query), {"name": name}).scalars())

    return pids


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[tuple[dict[str, str], Callable[[], list[int]]]]:
    """A database of `kind` with the demo loaded and indexed (as `make demo` does): the
    environment to serve it with, and its backends' pids (none for SQLite)."""
    admin = ""
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        admin, url = postgres_database()
    env = {
        **os.environ,
        **UNLIMITED,
        "APP_ENV": "development",  # for the development sign-in the editors use
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "INSTANCE_DIR": str(tmp / "instance"),
        "SEARCH_INDEX_DIR": str(tmp / "search_index"),
    }
    flask = [PYTHON, "-m", "flask", "--app", "wsgi"]
    try:
        for command in (["db", "upgrade"], ["demo", "load"], ["search", "reindex"]):
            subprocess.run([*flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
        yield env, backends(admin, url) if admin else list
    finally:
        if admin:
            drop_postgres(admin, url)


@dataclass
class Target:
    title: str
    label: str  # for the CSV files' names
    server: AbstractContextManager[str]  # gives the base URL while it serves


def targets(kind: str, env: dict[str, str]) -> Iterator[Target]:
    """What to load: one gunicorn, or (BENCH_CLUSTER=1, PostgreSQL) the cluster with one server
    and then with two."""
    if CLUSTER and kind == "postgresql":
        for servers in (1, 2):
            title = f"{kind}, nginx + {servers} × gunicorn --workers {CLUSTER_WORKERS}"
            yield Target(title, f"{kind}-cluster{servers}", cluster(servers, env))
    else:
        yield Target(f"{kind}, gunicorn --workers {WORKERS}", kind, gunicorn("wsgi:app", env))


def run_mix(url: str, title: str, label: str, pids: Callable[[], list[int]]) -> None:
    for users in USERS:
        print(f"\n{title}, {users} users ({MIX_NAME}):")
        print_run(locust(url, users, MIX, f"{label}-{users}", database_pids=pids))


def run_database(kind: str, tmp: Path) -> None:
    with database(kind, tmp) as (env, pids):
        for target in targets(kind, env):
            print(f"\n=== {target.title}: {SECONDS} s per run ===")
            with target.server as app_url:
                run_mix(app_url, target.title, target.label, pids)
                if target.label != kind:  # the cluster
                    continue
                with gunicorn("bench.hello:app", env) as hello:
                    pilot = locust(app_url, RATIO_USERS, ["PilotPageUser"], f"{kind}-pilot-page")
                    bare = locust(hello, RATIO_USERS, ["HelloUser"], f"{kind}-hello")
                pilot_rate = float(pilot.total["Requests/s"])
                bare_rate = float(bare.total["Requests/s"])
                print(
                    f"\n{kind}: pilot page {pilot_rate:.1f} req/s (p95 {pilot.total['95%']} ms, "
                    f"{pilot.errors} errors) vs bare Flask {bare_rate:.1f} req/s at "
                    f"{RATIO_USERS} users: ratio {pilot_rate / max(bare_rate, 0.001):.0%}"
                )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    print(f"{os.cpu_count()} cores; locust and the servers share them, on loopback. "
          f"Load average before: {load_average()}")  # fmt: skip
    if url := os.environ.get("BENCH_URL"):
        run_mix(url, url, "url", list)
        return
    for kind in DATABASES:
        with tempfile.TemporaryDirectory(prefix=f"bench-{kind}-") as tmp:
            run_database(kind, Path(tmp))


if __name__ == "__main__":
    main()
