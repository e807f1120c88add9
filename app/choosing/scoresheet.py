"""A round's scores as the arithmetic needs them, after refusing the input that cannot be scored.

Plain data in (no models): the ideas of the round, its panel, its criteria with weight and
direction, and every score as `(scorer, idea, criterion, value)`. Out comes a `ScoreSheet`: the
weights normalised to sum to 1 (and whether they had to be), and a scorers × ideas × criteria
array of the scores.

A criterion whose direction is "lower is better" (cost, for instance) is scored as the scorer
sees it, 1 for a low cost, and reversed here as 6 − score, so that in the weighted score a higher
number is always better: a 1 on cost counts as 5. The panel sees their own scores unchanged; only
the arithmetic turns them round.

A panel member who left any idea unscored on any criterion is not counted (a Kendall's W needs
each scorer's ranking of every idea), and is listed in `scorers_excluded` so the result can say so.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

Direction = Literal["higher", "lower"]
HIGHER_IS_BETTER: Direction = "higher"
LOWER_IS_BETTER: Direction = "lower"
LOWEST_SCORE, HIGHEST_SCORE = 1, 5


class ScoreSheetError(ValueError):
    """The scores or the round's set-up cannot be computed; the message says why, and `field`
    names what is to blame: `ideas`, `panel`, `criteria`, `weight`, `direction`, `scorer`,
    `idea`, `criterion`, `score` or `scores`."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Criterion:
    key: Hashable
    weight: float | Decimal  # any positive number: a Numeric column's Decimal too
    direction: Direction = HIGHER_IS_BETTER


class Score(NamedTuple):
    scorer: Hashable
    idea: Hashable
    criterion: Hashable
    value: int


@dataclass(frozen=True, eq=False)
class ScoreSheet:
    ideas: tuple[Hashable, ...]  # in the round's order, which breaks ties wherever one is needed
    criteria: tuple[Criterion, ...]
    weights: npt.NDArray[np.float64]  # one per criterion, summing to 1
    weights_normalised: bool  # the weights as set did not sum to 1
    scorers: tuple[Hashable, ...]  # counted: scored every idea on every criterion
    scorers_excluded: tuple[Hashable, ...]  # on the panel but left something unscored
    given: npt.NDArray[np.int_]  # scorers × ideas × criteria, as scored
    oriented: npt.NDArray[np.int_]  # the same, "lower is better" reversed as 6 − score


def build_score_sheet(
    ideas: Sequence[Hashable],
    panel: Sequence[Hashable],
    criteria: Sequence[Criterion],
    scores: Iterable[Score | tuple[Hashable, Hashable, Hashable, int]],
) -> ScoreSheet:
    """Check the round's set-up and scores, and lay them out for the arithmetic. Raises
    `ScoreSheetError` naming the field at fault; nothing is computed from bad input."""
    _check_distinct(ideas, "ideas", "an idea")
    _check_distinct(panel, "panel", "a panel member")
    weights, normalised = normalised_weights(criteria)
    idea_at = {idea: i for i, idea in enumerate(ideas)}
    scorer_at = {scorer: i for i, scorer in enumerate(panel)}
    criterion_at = {c.key: i for i, c in enumerate(criteria)}
    given = np.zeros((len(panel), len(ideas), len(criteria)), dtype=np.int_)
    for score in scores:
        scorer, idea, criterion, value = score
        if scorer not in scorer_at:
            raise ScoreSheetError(f"{scorer!r} scored but is not on the panel", "scorer")
        if idea not in idea_at:
            raise ScoreSheetError(f"{idea!r} was scored but is not in the round", "idea")
        if criterion not in criterion_at:
            raise ScoreSheetError(f"{criterion!r} is not one of the round's criteria", "criterion")
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ScoreSheetError(f"a score must be a whole number, not {value!r}", "score")
        if not LOWEST_SCORE <= value <= HIGHEST_SCORE:
            raise ScoreSheetError(f"a score must be from 1 to 5, not {value}", "score")
        cell = (scorer_at[scorer], idea_at[idea], criterion_at[criterion])
        if given[cell]:
            raise ScoreSheetError(
                f"{scorer!r} scored {idea!r} on {criterion!r} more than once", "score"
            )
        given[cell] = value
    complete: list[bool] = np.asarray((given > 0).all(axis=(1, 2))).tolist()
    if not any(complete):
        raise ScoreSheetError("no panel member has scored every idea on every criterion", "scores")
    lower = np.array([c.direction == LOWER_IS_BETTER for c in criteria])
    counted = given[np.array(complete, dtype=bool)]
    return ScoreSheet(
        ideas=tuple(ideas),
        criteria=tuple(criteria),
        weights=weights,
        weights_normalised=normalised,
        scorers=tuple(s for s, ok in zip(panel, complete, strict=True) if ok),
        scorers_excluded=tuple(s for s, ok in zip(panel, complete, strict=True) if not ok),
        given=counted,
        oriented=np.where(lower, LOWEST_SCORE + HIGHEST_SCORE - counted, counted),
    )


def normalised_weights(criteria: Sequence[Criterion]) -> tuple[npt.NDArray[np.float64], bool]:
    """The criteria's weights scaled to sum to 1, and whether they needed it (the round page
    then says "weights normalised"). Raises `ScoreSheetError` for a weight of zero or less."""
    _check_distinct([c.key for c in criteria], "criteria", "a criterion")
    for criterion in criteria:
        if criterion.direction not in (HIGHER_IS_BETTER, LOWER_IS_BETTER):
            raise ScoreSheetError(
                f"{criterion.key!r} has direction {criterion.direction!r}: "
                "it must be 'higher' or 'lower' (is better)",
                "direction",
            )
        weight = criterion.weight
        if isinstance(weight, bool) or not isinstance(weight, int | float | Decimal | np.number):
            raise ScoreSheetError(f"{criterion.key!r} has a weight that is not a number", "weight")
        if not math.isfinite(weight) or weight <= 0:
            raise ScoreSheetError(
                f"{criterion.key!r} has weight {weight}: a weight must be more than zero", "weight"
            )
    weights = np.array([float(c.weight) for c in criteria], dtype=np.float64)
    total = float(weights.sum())
    return weights / total, not math.isclose(total, 1.0, rel_tol=0, abs_tol=1e-9)


def _check_distinct(items: Sequence[Hashable], field: str, noun: str) -> None:
    if not items:
        raise ScoreSheetError(f"the round has no {field}", field)
    seen: set[Hashable] = set()
    for item in items:
        if item in seen:
            raise ScoreSheetError(f"{noun} is listed twice: {item!r}", field)
        seen.add(item)
