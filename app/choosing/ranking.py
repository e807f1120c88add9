"""Weighted totals and ranks.

Totals are compared (never stored) to nine decimal places: weights such as 0.1 and 0.7 make equal
sums differ in the last bits of a float, and two ideas a scorer valued equally must tie.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

DECIMALS = 9


def weighted_totals(
    oriented: npt.NDArray[np.int_], weights: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Each scorer's weighted total for each idea (scorers × ideas): Σ weight × score over the
    criteria, with weights that sum to 1, so a total lies between 1 and 5."""
    return oriented @ weights


def competition_ranks(values: npt.NDArray[np.float64]) -> list[int]:
    """Rank 1 for the highest value; ties share the better rank and leave a gap (5, 4, 4, 3 rank
    1, 2, 2, 4), so no idea is placed above another that scored the same."""
    rounded = np.round(values, DECIMALS)
    return [int((rounded > value).sum()) + 1 for value in rounded]


def average_ranks(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Ranks 1..n for the highest value first, tied values sharing the mean of the ranks they
    span (5, 4, 4, 3 rank 1, 2.5, 2.5, 4), as Kendall's W needs."""
    rounded = np.round(values, DECIMALS)
    above = (rounded[None, :] > rounded[:, None]).sum(axis=1)
    level = (rounded[None, :] == rounded[:, None]).sum(axis=1)
    return above + (level + 1) / 2


def order_by_rank(values: npt.NDArray[np.float64]) -> list[int]:
    """Indices from highest value to lowest; among ties, the earlier index first (the round's
    own order), so the listing is stable."""
    return sorted(range(len(values)), key=lambda i: (-round(float(values[i]), DECIMALS), i))


def quartiles(values: npt.NDArray[np.float64]) -> tuple[float, float, float]:
    """The lower quartile, median and upper quartile, by numpy's default linear interpolation;
    the interquartile range is the first from the last."""
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    return float(q1), float(median), float(q3)
