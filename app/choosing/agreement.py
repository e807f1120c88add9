"""How far the panel agrees: Kendall's coefficient of concordance W over the scorers' rankings.

Each scorer's weighted totals rank the ideas (average ranks for ties). With m scorers and n ideas,
R the sum of each idea's ranks and S the sum of squared deviations of R from its mean m(n + 1)/2,

    W = 12S / (m²(n³ − n) − m·ΣT),   T = Σ(t³ − t) over each scorer's groups of t tied ideas,

which corrects for ties: scores of 1–5 tie often, and without the correction W is too low.
W runs from 0 (no agreement) to 1 (every scorer ranks the ideas alike).

W is not defined, and `Agreement.w` is None with the reason in `undefined_because`, when there
are fewer than two scorers or two ideas (nothing to agree about), or when every scorer ties every
idea (the denominator is 0: nobody ranked anything).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from app.choosing.ranking import DECIMALS, average_ranks

Band = Literal["slight", "fair", "moderate", "substantial", "almost perfect"]
# Lower bounds: W in [0, 0.2) is slight, [0.2, 0.4) fair, ..., [0.8, 1] almost perfect.
BANDS: tuple[tuple[float, Band], ...] = (
    (0.8, "almost perfect"),
    (0.6, "substantial"),
    (0.4, "moderate"),
    (0.2, "fair"),
    (0.0, "slight"),
)
Undefined = Literal["fewer than two scorers", "fewer than two ideas", "every idea tied"]


@dataclass(frozen=True)
class Agreement:
    w: float | None
    band: Band | None
    scorers: int
    ideas: int
    undefined_because: Undefined | None = None


def band_of(w: float) -> Band:
    """The band a W falls in: [0, 0.2) slight, [0.2, 0.4) fair, [0.4, 0.6) moderate,
    [0.6, 0.8) substantial, [0.8, 1] almost perfect."""
    return next(band for bound, band in BANDS if w >= bound)


def kendalls_w(totals: npt.NDArray[np.float64]) -> Agreement:
    """Kendall's W, tie-corrected, of a scorers × ideas table of weighted totals (higher is
    better), with its band."""
    m, n = totals.shape
    if m < 2:
        return Agreement(None, None, m, n, "fewer than two scorers")
    if n < 2:
        return Agreement(None, None, m, n, "fewer than two ideas")
    ranks = np.vstack([average_ranks(row) for row in totals])
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - m * (n + 1) / 2) ** 2).sum())
    ties = sum(_tie_term(row) for row in totals)
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator == 0:
        return Agreement(None, None, m, n, "every idea tied")
    # Clipped and rounded so that float noise never moves W across a band's edge or out of [0, 1].
    w = round(min(max(12 * s / denominator, 0.0), 1.0), DECIMALS)
    return Agreement(w, band_of(w), m, n)


def _tie_term(row: npt.NDArray[np.float64]) -> int:
    """Σ(t³ − t) over the groups of t ideas that one scorer tied."""
    _, counts = np.unique(np.round(row, DECIMALS), return_counts=True)
    return int((counts**3 - counts).sum())
