"""A closed round's result: each idea's weighted score, rank and spread, the panel's agreement,
the ideas it disagrees on most, and whether the top three survives a change of weights.

An idea's weighted score is Σ weight × score with the weights normalised to sum to 1, averaged
over the scorers counted (`scoresheet` says who they are and how "lower is better" is turned
round); it is equally the mean of the scorers' weighted totals. Its spread is the interquartile
range of those totals. Ranks: the highest score is 1, ties share the better rank (1, 2, 2, 4) and
are listed in the round's order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from app.choosing.agreement import Agreement, kendalls_w
from app.choosing.ranking import (
    DECIMALS,
    competition_ranks,
    order_by_rank,
    quartiles,
    weighted_totals,
)
from app.choosing.scoresheet import Criterion, Score, ScoreSheet, build_score_sheet
from app.choosing.sensitivity import WeightChange, weight_sensitivity

MOST_DISAGREEMENT = 3


@dataclass(frozen=True)
class IdeaResult:
    idea: Hashable
    weighted_score: float  # from 1 to 5
    rank: int
    quartiles: tuple[float, float, float]  # of the scorers' weighted totals: Q1, median, Q3

    @property
    def spread(self) -> float:
        """The interquartile range of the scorers' weighted totals."""
        return round(self.quartiles[2] - self.quartiles[0], DECIMALS)


@dataclass(frozen=True)
class RoundResult:
    ideas: tuple[IdeaResult, ...]  # best first
    agreement: Agreement
    criteria: tuple[Criterion, ...]
    weights: tuple[float, ...]  # as used, one per criterion, summing to 1
    weights_normalised: bool  # the weights as set did not sum to 1: say "weights normalised"
    scorers: tuple[Hashable, ...]
    scorers_excluded: tuple[Hashable, ...]  # left something unscored, so not counted
    most_disagreement: tuple[IdeaResult, ...]  # largest spread first; none with a spread of 0
    sensitivity: tuple[WeightChange, ...]

    @property
    def top_three_holds(self) -> bool:
        """No ±20 % change of any one weight changes which ideas are in the top three."""
        return not any(change.changed for change in self.sensitivity)

    def for_idea(self, idea: Hashable) -> IdeaResult:
        return next(result for result in self.ideas if result.idea == idea)


def round_result(sheet: ScoreSheet, most_disagreement: int = MOST_DISAGREEMENT) -> RoundResult:
    """The result of a checked score sheet; `most_disagreement` is how many ideas to name where
    scorers disagree most."""
    totals = weighted_totals(sheet.oriented, sheet.weights)
    scores = totals.mean(axis=0)
    ranks = competition_ranks(scores)
    ideas = tuple(
        IdeaResult(
            idea=sheet.ideas[i],
            weighted_score=float(scores[i]),
            rank=ranks[i],
            quartiles=quartiles(totals[:, i]),
        )
        for i in order_by_rank(scores)
    )
    # sorted() is stable: among equal spreads the better-ranked idea comes first.
    disagreeing = sorted((r for r in ideas if r.spread > 0), key=lambda r: -r.spread)
    return RoundResult(
        ideas=ideas,
        agreement=kendalls_w(totals),
        criteria=sheet.criteria,
        weights=tuple(float(w) for w in sheet.weights),
        weights_normalised=sheet.weights_normalised,
        scorers=sheet.scorers,
        scorers_excluded=sheet.scorers_excluded,
        most_disagreement=tuple(disagreeing[:most_disagreement]),
        sensitivity=weight_sensitivity(sheet),
    )


def compute_round_result(
    ideas: Sequence[Hashable],
    panel: Sequence[Hashable],
    criteria: Sequence[Criterion],
    scores: Iterable[Score | tuple[Hashable, Hashable, Hashable, int]],
    most_disagreement: int = MOST_DISAGREEMENT,
) -> RoundResult:
    """A round's result from plain data: its ideas (in the round's order), its panel, its
    criteria, and every score as (scorer, idea, criterion, 1–5). Raises `ScoreSheetError`,
    naming the field at fault, for input that cannot be scored."""
    sheet = build_score_sheet(ideas, panel, criteria, scores)
    return round_result(sheet, most_disagreement)
