"""`make bench-load`: the registry under gunicorn, on SQLite and on PostgreSQL, loaded by locust on
loopback at 10, 25 and 50 users; prints p50/p95/p99 per endpoint, the error rate, and the pilot
page's requests per second as a share of a bare Flask hello world's under the same gunicorn.

Settings: BENCH_SECONDS (60), BENCH_USERS ("10,25,50"), BENCH_WORKERS (4), BENCH_RATIO_USERS (25),
BENCH_DATABASES ("sqlite,postgresql"), BENCH_POSTGRES_URL (else scripts/ensure-postgres.sh's).
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
USERS = [int(n) for n in os.environ.get("BENCH_USERS", "10,25,50").split(",")]
WORKERS = os.environ.get("BENCH_WORKERS", "4")
RATIO_USERS = int(os.environ.get("BENCH_RATIO_USERS", "25"))
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
MIX = ["ReaderUser", "SearcherUser", "FeedPollerUser", "EditorUser"]
OUT = ROOT / "bench-results"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(target: str, env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", WORKERS, "--bind", f"127.0.0.1:{port}",
         "--preload", "--log-level", "warning", target],
        cwd=ROOT, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(url + "/", timeout=5).close()  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"{target} did not start")
        yield url
    finally:
        server.terminate()
        server.wait(30)


def locust(url: str, users: int, classes: list[str], label: str) -> list[dict[str, str]]:
    prefix = OUT / label
    subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(users), "-t", f"{SECONDS}s", "--host", url,
         "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR", *classes],
        check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


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


def postgres_database() -> tuple[str, str]:
    admin = os.environ.get("BENCH_POSTGRES_URL") or subprocess.run(
        ["bash", "scripts/ensure-postgres.sh"], cwd=ROOT, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
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


def run_database(kind: str, tmp: Path) -> None:
    admin = ""
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        admin, url = postgres_database()
    env = {
        **os.environ,
        "APP_ENV": "development",  # for the development sign-in the editors use
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "INSTANCE_DIR": str(tmp / "instance"),
        "SEARCH_INDEX_DIR": str(tmp / "search_index"),
    }
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    try:
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
        for command in (["demo", "load"], ["search", "reindex"]):  # as `make demo` does
            subprocess.run([*flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
        print(f"\n=== {kind}: gunicorn --workers {WORKERS}, {SECONDS} s per run ===")
        with gunicorn("wsgi:app", env) as app_url, gunicorn("bench.hello:app", env) as hello:
            for users in USERS:
                print(f"\n{kind}, {users} users (readers, searchers, feed pollers, editors):")
                print_table(locust(app_url, users, MIX, f"{kind}-{users}"))
            pilot = locust(app_url, RATIO_USERS, ["PilotPageUser"], f"{kind}-pilot-page")[-1]
            bare = locust(hello, RATIO_USERS, ["HelloUser"], f"{kind}-hello")[-1]
            ratio = float(pilot["Requests/s"]) / max(float(bare["Requests/s"]), 0.001)
            print(
                f"\n{kind}: pilot page {float(pilot['Requests/s']):.1f} req/s "
                f"(p95 {pilot['95%']} ms, {pilot['Failure Count']} errors) vs bare Flask "
                f"{float(bare['Requests/s']):.1f} req/s at {RATIO_USERS} users: "
                f"ratio {ratio:.0%}"
            )
    finally:
        if admin:
            drop_postgres(admin, url)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    print(f"{os.cpu_count()} cores; locust and gunicorn share them, on loopback.")
    for kind in DATABASES:
        with tempfile.TemporaryDirectory(prefix=f"bench-{kind}-") as tmp:
            run_database(kind, Path(tmp))


if __name__ == "__main__":
    main()
