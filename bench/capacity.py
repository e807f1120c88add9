"""`make bench-capacity`: the highest request rate the load mix (bench/locustfile.py, with its
writers at one write a second) sustains with reads' p95 within BENCH_READ_P95 ms (500) and no
errors. Readers, searchers and feed pollers ask again as soon as they are answered; the number of
them steps up (BENCH_STEPS, "4,8,16,32,64") until a step breaks the limit, and the step before it
is the capacity. Each step runs BENCH_SECONDS (30) against the same server.

Same set-up and settings as bench/load.py (BENCH_DATABASES, BENCH_WORKERS, BENCH_WRITE_RATE,
BENCH_URL, BENCH_CLUSTER=1 for one server and then two behind nginx on PostgreSQL).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("BENCH_SECONDS", "30")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

STEPS = [int(n) for n in os.environ.get("BENCH_STEPS", "4,8,16,32,64").split(",")]
READ_P95 = float(os.environ.get("BENCH_READ_P95", "500"))


def sustains(run: load.Run) -> bool:
    reads = run.timings.kinds.get("read")
    return run.errors == 0 and reads is not None and reads.p95 <= READ_P95


def summary(run: load.Run) -> str:
    reads = run.timings.kinds["read"]
    writes = run.timings.kinds.get("write")
    costs = ", ".join(f"{kind} {run.per_request_ms(kind):.1f} ms" for kind in run.cpu)
    return (
        f"{run.rate:.1f} req/s ({reads.requests / load.SECONDS:.1f} reads/s, "
        f"{(writes.requests if writes else 0) / load.SECONDS:.2f} writes/s), read p95 "
        f"{reads.p95:.0f} ms, {run.errors} errors; CPU a request: {costs}; load average {run.load}"
    )


def step_up(url: str, title: str, label: str, pids: Callable[[], list[int]]) -> None:
    """Step the users up until a step breaks the limit; print the last step that held."""
    held: tuple[int, load.Run] | None = None
    for users in STEPS:
        print(f"\n{title}, {users} users without waits ({load.MIX_NAME}):")
        label_step = f"{label}-capacity-{users}"
        run = load.locust(url, users, load.MIX, label_step, wait=False, database_pids=pids)
        load.print_run(run)
        if not sustains(run):
            print(f"  -> breaks the limit (read p95 ≤ {READ_P95:.0f} ms, no errors)")
            break
        held = (users, run)
    if held is None:
        print(f"\n{title}: CAPACITY not reached even at {STEPS[0]} users")
    else:
        print(f"\n{title}: CAPACITY at {held[0]} users: {summary(held[1])}")


def main() -> None:
    load.OUT.mkdir(exist_ok=True)
    print(f"{os.cpu_count()} cores; locust and the servers share them, on loopback; "
          f"{load.SECONDS} s a step. Load average before: {load.load_average()}")  # fmt: skip
    if url := os.environ.get("BENCH_URL"):
        step_up(url, url, "url", list)
        return
    for kind in load.DATABASES:
        with (
            tempfile.TemporaryDirectory(prefix=f"bench-{kind}-") as tmp,
            load.database(kind, Path(tmp)) as (env, pids),
        ):
            for target in load.targets(kind, env):
                with target.server as app_url:
                    step_up(app_url, target.title, target.label, pids)


if __name__ == "__main__":
    main()
