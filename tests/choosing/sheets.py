"""Score tables for the consensus tests, written the way they are worked by hand: for each scorer,
each idea's scores in the order of the criteria."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.choosing.scoresheet import Criterion, Score

Table = Mapping[str, Mapping[str, Sequence[int]]]


def score_rows(table: Table, criteria: Sequence[Criterion]) -> list[Score]:
    return [
        Score(scorer, idea, criterion.key, value)
        for scorer, ideas in table.items()
        for idea, values in ideas.items()
        for criterion, value in zip(criteria, values, strict=True)
    ]


def one_criterion(table: Mapping[str, Mapping[str, int]]) -> tuple[list[Criterion], list[Score]]:
    """A table with a single criterion of weight 1: each scorer's weighted total is their score."""
    criteria = [Criterion("value", 1)]
    rows = {
        scorer: {idea: [score] for idea, score in ideas.items()} for scorer, ideas in table.items()
    }
    return criteria, score_rows(rows, criteria)
