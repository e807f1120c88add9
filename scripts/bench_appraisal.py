"""How long one appraisal's figures take to compute when it is saved: `make bench-appraisal`.

The issue's model: 4 options × 30 lines (15 costs, 15 benefits, each a low / likely / high range
over all 10 years of the horizon, half of them shared between options so that common random
numbers are exercised) × 10,000 iterations. Times `appraisal_results`, everything the save
computes: discount factors, each option's deterministic figures and switching value, the
simulation, percentiles, tornado data and the JSON. The database write is not included.
Prints p50 and p95 over BENCH_RUNS runs (default 50) after a warm-up; the target is
p95 ≤ 50 ms.

Then the pilot page: two pilots alike in a scratch SQLite database, one with that appraisal
saved and one without, each page rendered BENCH_RUNS times (page cache off, so every request
renders); the pilot page with an appraisal must be within 10 ms of the one without (its
figures are stored at save, never recomputed per view).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.appraisal.models import Appraisal, AppraisalOption, BenefitLine, CostLine
from app.appraisal.reference import reference
from app.appraisal.results import appraisal_results

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
KINDS = ("business-as-usual", "do-minimum", "preferred", "alternative")
YEARS = list(range(10))
TARGET_MS = 50
PAGE_TARGET_MS = 10


def _range(n: int, option: int) -> dict[str, int]:
    likely = 100_000 * (n + 1) + 10_000 * option
    return {"low_pence": likely * 8 // 10, "likely_pence": likely, "high_pence": likely * 3 // 2}


def _option(number: int, kind: str) -> AppraisalOption:
    def name(what: str, n: int) -> str:
        return f"{what} {n}" if n % 2 else f"{what} {n} of option {number}"  # odd n: shared

    return AppraisalOption(
        kind=kind,
        name=kind,
        costs=[
            CostLine(name=name("Cost", n), recurrence="recurring", nature="revenue",
                     years=YEARS, confidence_grade=1 + n % 5, **_range(n, number))
            for n in range(15)
        ],
        benefits=[
            BenefitLine(name=name("Benefit", n), cashable=bool(n % 2), category="fiscal",
                        years=YEARS, confidence_grade=1 + n % 5, deadweight_percent=10,
                        **_range(n + 3, number))
            for n in range(15)
        ],
        steps=[],
        process_years=[],
    )  # fmt: skip


def _bench_appraisal() -> Appraisal:
    return Appraisal(
        horizon_years=10,
        price_year=2026,
        seed=2026,
        iterations=10_000,
        options=[_option(number, kind) for number, kind in enumerate(KINDS)],
    )


def _interleaved(
    first: Callable[[], object], second: Callable[[], object]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """p50 and p95 of each, timed turn about, so that load from elsewhere on a shared machine
    falls on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for round_ in range(RUNS + 3):
        for run, found in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            run()
            if round_ >= 3:
                found.append((time.perf_counter() - started) * 1000)
    return tuple(  # type: ignore[return-value]
        (statistics.median(t), statistics.quantiles(t, n=20)[-1]) for t in times
    )


def bench_pilot_page() -> None:
    """The pilot page with and without a stored appraisal, rendered afresh each time."""
    from flask_migrate import upgrade

    from app import create_app
    from app.appraisal.service import save_appraisal
    from tests.factories import create_council, create_pilot

    with tempfile.TemporaryDirectory(prefix="bench-appraisal-") as tmp:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "INSTANCE_DIR": tmp,
            "SEARCH_INDEX_DIR": f"{tmp}/index", "SERVER_NAME": "localhost",
            "RATELIMIT_ENABLED": False, "PAGE_CACHE_ENABLED": False,
        })  # fmt: skip
        with app.app_context():
            upgrade()
            council = create_council(code="BEN", nice_name="Benchton")
            create_pilot(council, slug="without-appraisal", title="A pilot")
            with_one = create_pilot(council, slug="with-appraisal", title="A pilot")
            save_appraisal(with_one, _bench_appraisal())
            client = app.test_client()

            def page(slug: str) -> Callable[[], object]:
                def get() -> object:
                    response = client.get(f"/pilots/{slug}")
                    assert response.status_code == 200, response.status_code
                    return response

                return get

            bare, full = _interleaved(page("without-appraisal"), page("with-appraisal"))
    difference = full[0] - bare[0]
    print(f"pilot page ({RUNS} renders each, page cache off):")
    print(f"  without an appraisal  p50 {bare[0]:.1f} ms   p95 {bare[1]:.1f} ms")
    print(f"  with one              p50 {full[0]:.1f} ms   p95 {full[1]:.1f} ms")
    verdict = "within" if difference <= PAGE_TARGET_MS else "OVER"
    print(f"  difference at p50 {difference:.1f} ms   ({verdict} the {PAGE_TARGET_MS} ms target)")


def main() -> None:
    appraisal = _bench_appraisal()
    figures = reference()
    for _ in range(3):
        appraisal_results(appraisal, figures)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        appraisal_results(appraisal, figures)
        times.append((time.perf_counter() - started) * 1000)
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    lines = sum(len(o.costs) + len(o.benefits) for o in appraisal.options)
    print(
        f"appraisal: {len(appraisal.options)} options, {lines} lines, {len(YEARS)} years, "
        f"{appraisal.iterations:,} iterations, {RUNS} runs"
    )
    verdict = "within" if p95 <= TARGET_MS else "OVER"
    print(f"  p50 {p50:.1f} ms   p95 {p95:.1f} ms   ({verdict} the {TARGET_MS} ms target)")
    bench_pilot_page()


if __name__ == "__main__":
    main()
