"""Monte Carlo over every low / likely / high, as a triangular distribution.

One draw per input per iteration: a line's yearly values move together (a cost that overruns in
one year overruns in all). Each input's uniform draws come from its own stream, seeded by the
appraisal's seed and the input's identity (kind and name), and become values through the
triangular quantile function. So an input that two options share gets the same futures in both
(common random numbers: the options are compared on the same futures, and the difference between
them is not blurred by noise), and the same seed always gives the same figures.

Every present value is weight × value (see valuation.py), so an option's 10,000 futures are a
weighted sum of its inputs' drawn values (see `simulate` for how that is kept fast and exact).
Figures leave this module as plain floats.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from app.appraisal.valuation import Term

ITERATIONS = 10_000
PERCENTILES = (5, 50, 95)
TORNADO_BARS = 10

Floats = NDArray[np.float64]


def uniform_draws(seed: int, identity: str, iterations: int) -> NDArray[np.float32]:
    """The input's own stream of uniforms: the same for the same seed and identity. Single
    precision is plenty for a share, and halves the work."""
    words = np.frombuffer(hashlib.sha256(identity.encode()).digest()[:16], dtype=np.uint32)
    sequence = np.random.SeedSequence([seed, *(int(w) for w in words)])
    generator = np.random.Generator(np.random.PCG64(sequence))
    return generator.random(iterations, dtype=np.float32)


def triangular_quantile(u: Floats | float, low: Floats, likely: Floats, high: Floats) -> Floats:
    """The value below which a share `u` of a triangular(low, likely, high) distribution lies.
    Below the mode's share (likely − low) / (high − low): low + √(u (high − low)(likely − low));
    above it: high − √((1 − u)(high − low)(high − likely)). A point range gives its point."""
    span = high - low
    mode_share = np.divide(likely - low, span, out=np.zeros_like(span), where=span > 0)
    left = low + np.sqrt(u * span * (likely - low))
    right = high - np.sqrt((1 - u) * span * (high - likely))
    return np.where(u < mode_share, left, right)  # type: ignore[no-any-return]


def mode_share(term: Term) -> float:
    span = term.high - term.low
    return (term.likely - term.low) / span if span else 0.0


@dataclass(frozen=True)
class Draws:
    """Simulated present values: one row per option, one column per iteration."""

    pv_costs: Floats
    pv_benefits: Floats

    @functools.cached_property
    def npsv(self) -> Floats:
        return self.pv_benefits - self.pv_costs  # type: ignore[no-any-return]


def simulate(options: Sequence[Sequence[Term]], seed: int, iterations: int = ITERATIONS) -> Draws:
    """Every option's present values over `iterations` futures drawn from `seed`.

    A term's value is low + (high − low) × q, where q is the standard triangular quantile on
    [0, 1] with the term's mode share m: √(u m) below m, 1 − √((1 − u)(1 − m)) above. So its
    present value is an exact constant, weight × low, plus (weight × span) × q; q depends only
    on the input's draws and m, so it is computed once for every option that shares the input.
    Each step works on one 10,000-long row at a time (it stays in the cache) and adds in a
    fixed order, without BLAS threads, so the same seed gives the same figures bit for bit."""
    if iterations < 1:
        raise ValueError("a simulation needs at least one iteration")
    pv = {side: np.zeros((len(options), iterations)) for side in ("cost", "benefit")}
    uncertain: dict[str, dict[float, list[tuple[int, Term]]]] = {}
    for row, option in enumerate(options):
        for term in option:
            pv[term.side][row] += term.weight * term.low
            if term.high > term.low and term.weight:
                shares = uncertain.setdefault(term.identity, {})
                shares.setdefault(mode_share(term), []).append((row, term))
    for identity in sorted(uncertain):
        u = uniform_draws(seed, identity, iterations)
        root_u, root_rest = np.sqrt(u), np.sqrt(1 - u)
        for share, users in uncertain[identity].items():
            # Python floats (math.sqrt), so that the arithmetic stays in single precision.
            q = np.where(u < share, root_u * math.sqrt(share), 1 - root_rest * math.sqrt(1 - share))
            for row, term in users:
                pv[term.side][row] += (term.weight * (term.high - term.low)) * q
    return Draws(pv["cost"], pv["benefit"])


@dataclass(frozen=True)
class Spread:
    p_positive: float  # P(NPSV > 0)
    npsv_mean: float
    npsv: tuple[float, float, float]  # P5, P50, P95
    bcr: tuple[float, float, float] | None  # None when some future has no costs


def spread(draws: Draws, row: int) -> Spread:
    """One option's P(NPSV > 0), expected NPSV and P5 / P50 / P95 of NPSV and BCR."""
    npsv = draws.npsv[row]
    costs = draws.pv_costs[row]
    bcr = None
    if np.all(costs > 0):
        bcr = _percentiles(draws.pv_benefits[row] / costs)
    return Spread(float(np.mean(npsv > 0)), float(np.mean(npsv)), _percentiles(npsv), bcr)


def _percentiles(values: Floats) -> tuple[float, float, float]:
    low, middle, high = np.percentile(values, PERCENTILES)
    return float(low), float(middle), float(high)


def probability_beats(draws: Draws, row: int, other: int) -> float:
    """The share of futures in which option `row` has the higher NPSV than option `other`."""
    return float(np.mean(draws.npsv[row] > draws.npsv[other]))


@dataclass(frozen=True)
class TornadoBar:
    label: str
    side: str
    npsv_at_low: float  # NPSV with this input at its P5, every other at likely
    npsv_at_high: float  # ... at its P95

    @property
    def swing(self) -> float:
        return abs(self.npsv_at_high - self.npsv_at_low)


def tornado(terms: Sequence[Term], npsv: float, bars: int = TORNADO_BARS) -> list[TornadoBar]:
    """The inputs that move NPSV most, widest swing first."""
    if not terms:
        return []
    ranges = np.array([[t.low, t.likely, t.high] for t in terms], dtype=np.float64)
    found = []
    for share in (PERCENTILES[0] / 100, PERCENTILES[-1] / 100):
        quantiles = triangular_quantile(share, ranges[:, 0], ranges[:, 1], ranges[:, 2])
        found.append(quantiles)
    shown = [
        TornadoBar(
            term.label,
            term.side,
            npsv + term.signed_weight * (float(found[0][i]) - term.likely),
            npsv + term.signed_weight * (float(found[1][i]) - term.likely),
        )
        for i, term in enumerate(terms)
    ]
    return sorted(shown, key=lambda bar: -bar.swing)[:bars]
