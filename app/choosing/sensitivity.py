"""Would the top three change if the weights did? Each criterion's weight is moved up and down by
a fifth (±20 %), the weights renormalised to sum to 1, and the top three recomputed.

The top three is every idea ranked 1, 2 or 3 (ties share the better rank, so a tie for third
puts four ideas in it). `changed` says a different set of ideas is in it; `reordered` that the
same ideas are in a different order.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.choosing.ranking import competition_ranks, order_by_rank, weighted_totals
from app.choosing.scoresheet import ScoreSheet

STEP = 0.2
TOP = 3


@dataclass(frozen=True)
class WeightChange:
    criterion: Hashable
    change: float  # +0.2: the weight raised by a fifth; −0.2: lowered by a fifth
    weights: tuple[float, ...]  # the weights tried, one per criterion, summing to 1
    top_three: tuple[Hashable, ...]
    changed: bool
    reordered: bool


def top_three(sheet: ScoreSheet, weights: npt.NDArray[np.float64]) -> tuple[Hashable, ...]:
    """The ideas ranked 1 to 3 under these weights, best first (ties in the round's order)."""
    scores = weighted_totals(sheet.oriented, weights).mean(axis=0)
    ranks = competition_ranks(scores)
    return tuple(sheet.ideas[i] for i in order_by_rank(scores) if ranks[i] <= TOP)


def weight_sensitivity(sheet: ScoreSheet, step: float = STEP) -> tuple[WeightChange, ...]:
    """For each criterion, raised then lowered by `step`: the top three, and whether it moved."""
    baseline = top_three(sheet, sheet.weights)
    changes = []
    for index, criterion in enumerate(sheet.criteria):
        for change in (step, -step):
            weights = sheet.weights.copy()
            weights[index] *= 1 + change
            weights /= weights.sum()
            top = top_three(sheet, weights)
            changes.append(
                WeightChange(
                    criterion=criterion.key,
                    change=change,
                    weights=tuple(float(w) for w in weights),
                    top_three=top,
                    changed=set(top) != set(baseline),
                    reordered=set(top) == set(baseline) and top != baseline,
                )
            )
    return tuple(changes)
