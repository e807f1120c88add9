"""A second scoring (Delphi): each scorer sees how the panel scored each idea the first time,
without names, and may re-score; both rounds' results are then set side by side.

The distribution shows, for each idea and criterion, how many scorers gave each score from 1 to 5
as they scored it (before "lower is better" is turned round), and the quartiles of the weighted
totals. It carries no scorer: on a small panel a count of 1 can still point at someone, which is
why the issue shows counts rather than a list of scores.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from app.choosing.agreement import Agreement
from app.choosing.consensus import IdeaResult, RoundResult
from app.choosing.ranking import DECIMALS, quartiles, weighted_totals
from app.choosing.scoresheet import HIGHEST_SCORE, LOWEST_SCORE, ScoreSheet, ScoreSheetError


@dataclass(frozen=True)
class IdeaDistribution:
    idea: Hashable
    scorers: int
    counts: dict[Hashable, tuple[int, ...]]  # criterion → how many scored 1, 2, 3, 4, 5
    quartiles: tuple[float, float, float]  # of the weighted totals: Q1, median, Q3


@dataclass(frozen=True)
class IdeaAcrossRounds:
    idea: Hashable
    first: IdeaResult
    second: IdeaResult

    @property
    def rank_change(self) -> int:
        """Places moved up in the second scoring (negative: moved down)."""
        return self.first.rank - self.second.rank

    @property
    def spread_change(self) -> float:
        """The second spread less the first: negative when the scorers came closer."""
        return round(self.second.spread - self.first.spread, DECIMALS)


@dataclass(frozen=True)
class RoundsSideBySide:
    ideas: tuple[IdeaAcrossRounds, ...]  # in the second scoring's order, best first
    first: Agreement
    second: Agreement


def first_round_distribution(sheet: ScoreSheet) -> tuple[IdeaDistribution, ...]:
    """For each idea in the round's order, the anonymised first-round scores to show scorers
    before they re-score."""
    totals = weighted_totals(sheet.oriented, sheet.weights)
    values = np.arange(LOWEST_SCORE, HIGHEST_SCORE + 1)
    return tuple(
        IdeaDistribution(
            idea=idea,
            scorers=len(sheet.scorers),
            counts={
                criterion.key: tuple(int((sheet.given[:, i, c] == value).sum()) for value in values)
                for c, criterion in enumerate(sheet.criteria)
            },
            quartiles=quartiles(totals[:, i]),
        )
        for i, idea in enumerate(sheet.ideas)
    )


def side_by_side(first: RoundResult, second: RoundResult) -> RoundsSideBySide:
    """Both scorings' results for each idea, and the panel's agreement each time. Raises
    `ScoreSheetError` if the two scorings were not of the same ideas."""
    if {r.idea for r in first.ideas} != {r.idea for r in second.ideas}:
        raise ScoreSheetError("both scorings must be of the same ideas", "ideas")
    return RoundsSideBySide(
        ideas=tuple(
            IdeaAcrossRounds(result.idea, first.for_idea(result.idea), result)
            for result in second.ideas
        ),
        first=first.agreement,
        second=second.agreement,
    )
