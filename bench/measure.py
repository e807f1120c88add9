"""What a load run cost and how it went, for `make bench-load` and `make bench-capacity`: CPU
seconds of the app's processes (this process's descendants: gunicorn, and nginx in a cluster),
of the PostgreSQL backends serving the benchmark's database and of the load generator, read
from /proc; and percentiles of each kind of request from the locustfile's BENCH_TIMES file."""

from __future__ import annotations

import json
import os
import resource
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds in user and system mode) of a live process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the command name may hold spaces
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def descendants_cpu() -> dict[int, tuple[str, float]]:
    """Every live descendant of this process: pid -> (what it is, CPU seconds)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            children.setdefault(stat[0], []).append(int(entry))
    found: dict[int, tuple[str, float]] = {}
    todo = list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        stat, command = _stat(pid), _cmdline(pid)
        if stat is None or "locust" in command:
            continue  # the load generator is counted as a reaped child (children_cpu)
        kind = "nginx" if "nginx" in command else "app"
        found[pid] = (kind, stat[1])
    return found


def processes_cpu(pids: list[int]) -> dict[int, tuple[str, float]]:
    return {pid: ("database", stat[1]) for pid in pids if (stat := _stat(pid)) is not None}


def children_cpu() -> float:
    """CPU seconds of this process's children that have ended (the load generator's runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_spent(
    before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
) -> dict[str, float]:
    """CPU seconds per kind between two snapshots; a process born between them counts from 0."""
    spent: dict[str, float] = {}
    for pid, (kind, seconds) in after.items():
        start = before.get(pid, (kind, 0.0))[1]
        spent[kind] = spent.get(kind, 0.0) + max(seconds - start, 0.0)
    return spent


def load_average() -> str:
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (locust's own figures round to two significant digits)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


@dataclass
class Kind:
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    statuses: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        codes = ", ".join(f"{code} {n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.requests:>6} requests, {self.failures} errors; p50 / p95 / p99 "
            f"{self.p50:.0f} / {self.p95:.0f} / {self.p99:.0f} ms ({codes})"
        )


@dataclass
class Timings:
    kinds: dict[str, Kind]
    last_summary_seen: dict[str, float | None]  # slug -> seconds until shown; None: never


def read_timings(path: Path) -> Timings:
    data = json.loads(path.read_text(encoding="utf-8"))
    kinds = {}
    for name, times in data["times"].items():
        kinds[name] = Kind(
            len(times), data["failures"].get(name, 0), percentile(times, 0.50),
            percentile(times, 0.95), percentile(times, 0.99), data["statuses"].get(name, {}),
        )  # fmt: skip
    return Timings(kinds, data["last_summary_seen"])
