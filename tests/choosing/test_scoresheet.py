"""The bad input that belongs to the arithmetic is refused with an error that names the field."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal
from typing import Any

import pytest

from app.choosing.consensus import compute_round_result
from app.choosing.scoresheet import (
    Criterion,
    ScoreSheetError,
    build_score_sheet,
    normalised_weights,
)

CRITERIA = [Criterion("need", 2), Criterion("cost", 1, "lower")]
GOOD = [
    ("a", "A", "need", 4),
    ("a", "A", "cost", 2),
    ("a", "B", "need", 3),
    ("a", "B", "cost", 5),
]


def build(
    scores: Sequence[tuple[Hashable, Hashable, Hashable, Any]] = GOOD,
    criteria: Sequence[Criterion] = CRITERIA,
    ideas: Sequence[Hashable] = ("A", "B"),
    panel: Sequence[Hashable] = ("a", "b"),
) -> Any:
    return build_score_sheet(ideas, panel, criteria, scores)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"scores": [*GOOD, ("a", "A", "need", 4)]}, "score", "more than once"),
        ({"scores": [("a", "A", "need", 0)]}, "score", "from 1 to 5, not 0"),
        ({"scores": [("a", "A", "need", 6)]}, "score", "from 1 to 5, not 6"),
        ({"scores": [("a", "A", "need", 4.5)]}, "score", "whole number"),
        ({"scores": [("a", "A", "need", "4")]}, "score", "whole number"),
        ({"scores": [("a", "A", "need", True)]}, "score", "whole number"),
        ({"scores": [("z", "A", "need", 4)]}, "scorer", "'z' scored but is not on the panel"),
        ({"scores": [("a", "Z", "need", 4)]}, "idea", "'Z' was scored but is not in the round"),
        ({"scores": [("a", "A", "looks", 4)]}, "criterion", "'looks' is not one of"),
        ({"criteria": [Criterion("need", 0)]}, "weight", "'need' has weight 0"),
        ({"criteria": [Criterion("need", 1), Criterion("cost", -1)]}, "weight", "more than zero"),
        ({"criteria": [Criterion("need", float("nan"))]}, "weight", "more than zero"),
        ({"criteria": [Criterion("need", "1")]}, "weight", "not a number"),  # type: ignore[arg-type]
        ({"criteria": [Criterion("need", 1, "down")]}, "direction", "'down'"),  # type: ignore[arg-type]
        ({"criteria": []}, "criteria", "the round has no criteria"),
        ({"criteria": [Criterion("need", 1), Criterion("need", 2)]}, "criteria", "listed twice"),
        ({"ideas": []}, "ideas", "the round has no ideas"),
        ({"ideas": ["A", "B", "A"]}, "ideas", "listed twice: 'A'"),
        ({"panel": []}, "panel", "the round has no panel"),
        ({"scores": []}, "scores", "no panel member has scored every idea"),
        ({"scores": GOOD[:3]}, "scores", "no panel member has scored every idea"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    change: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ScoreSheetError, match=words) as error:
        build(**change)
    assert error.value.field == field


def test_weights_that_do_not_sum_to_one_are_normalised_and_say_so() -> None:
    weights, normalised = normalised_weights(
        [Criterion("a", 30), Criterion("b", 50), Criterion("c", 20)]
    )
    assert weights.tolist() == pytest.approx([0.3, 0.5, 0.2])
    assert normalised
    weights, normalised = normalised_weights([Criterion("a", Decimal("0.3")), Criterion("b", 0.7)])
    assert weights.tolist() == pytest.approx([0.3, 0.7])
    assert not normalised


def test_lower_is_better_is_turned_round_for_the_arithmetic_only() -> None:
    # a scored cost 2 on A and 5 on B: counted as 6 − 2 = 4 and 6 − 5 = 1. Need is kept as scored.
    sheet = build()
    assert sheet.given[0].tolist() == [[4, 2], [3, 5]]
    assert sheet.oriented[0].tolist() == [[4, 4], [3, 1]]
    # Weighted with 2/3 and 1/3: A = (8 + 4) / 3 = 4, B = (6 + 1) / 3 = 7/3.
    result = compute_round_result(("A", "B"), ("a",), CRITERIA, GOOD)
    assert [r.weighted_score for r in result.ideas] == pytest.approx([4, 7 / 3])


def test_a_panel_member_who_did_not_finish_is_named_not_counted() -> None:
    sheet = build(scores=[*GOOD, ("b", "A", "need", 5)])
    assert (sheet.scorers, sheet.scorers_excluded) == (("a",), ("b",))
    assert sheet.given.shape == (1, 2, 2)
