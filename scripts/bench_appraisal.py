"""How long one appraisal's figures take to compute when it is saved: `make bench-appraisal`.

The issue's model: 4 options × 30 lines (15 costs, 15 benefits, each a low / likely / high range
over all 10 years of the horizon, half of them shared between options so that common random
numbers are exercised) × 10,000 iterations. Times `appraisal_results`, everything the save
computes: discount factors, each option's deterministic figures and switching value, the
simulation, percentiles, tornado data and the JSON. The database write is not included.
Prints p50 and p95 over BENCH_RUNS runs (default 50) after a warm-up; the target is
p95 ≤ 50 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.appraisal.models import Appraisal, AppraisalOption, BenefitLine, CostLine
from app.appraisal.reference import reference
from app.appraisal.results import appraisal_results

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
KINDS = ("business-as-usual", "do-minimum", "preferred", "alternative")
YEARS = list(range(10))
TARGET_MS = 50


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


def main() -> None:
    appraisal = Appraisal(
        horizon_years=10,
        price_year=2026,
        seed=2026,
        iterations=10_000,
        options=[_option(number, kind) for number, kind in enumerate(KINDS)],
    )
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


if __name__ == "__main__":
    main()
