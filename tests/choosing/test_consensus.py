"""Weighted scores, ranks, spreads and the ideas scorers disagree on, worked by hand."""

from __future__ import annotations

import pytest

from app.choosing.consensus import RoundResult, compute_round_result
from app.choosing.scoresheet import Criterion
from tests.choosing.sheets import one_criterion, score_rows

# Resident need (weight 3, higher is better) and cost (weight 1, lower is better). The weights sum
# to 4, so they are normalised to 0.75 and 0.25. Cost is scored as seen (1 = cheap) and counted as
# 6 − score. Each scorer's weighted total, 0.75 × need + 0.25 × (6 − cost):
CRITERIA = [Criterion("need", 3), Criterion("cost", 1, "lower")]
TABLE = {
    "a": {"A": (5, 1), "B": (4, 4), "C": (2, 2), "D": (3, 5)},  # A 5.0  B 3.5  C 2.5  D 2.5
    "b": {"A": (4, 2), "B": (5, 3), "C": (3, 1), "D": (2, 4)},  # A 4.0  B 4.5  C 3.5  D 2.0
    "c": {"A": (3, 1), "B": (4, 5), "C": (3, 3), "D": (1, 5)},  # A 3.5  B 3.25 C 3.0  D 1.0
}
# Weighted scores, the means of those totals: A 12.5/3, B 11.25/3 = 3.75, C 9/3 = 3, D 5.5/3.
# Quartiles of three values by linear interpolation: Q1 halfway between the lowest and the middle,
# Q3 halfway between the middle and the highest.
#   A 3.5, 4, 5     → Q1 3.75,  Q3 4.5  → IQR 0.75
#   B 3.25, 3.5, 4.5 → Q1 3.375, Q3 4.0  → IQR 0.625
#   C 2.5, 3, 3.5   → Q1 2.75,  Q3 3.25 → IQR 0.5
#   D 1, 2, 2.5     → Q1 1.5,   Q3 2.25 → IQR 0.75


def result(most_disagreement: int = 3) -> RoundResult:
    return compute_round_result(
        "ABCD", "abc", CRITERIA, score_rows(TABLE, CRITERIA), most_disagreement
    )


def test_weighted_scores_and_ranks_by_hand() -> None:
    round_result = result()
    assert [r.idea for r in round_result.ideas] == ["A", "B", "C", "D"]
    assert [r.rank for r in round_result.ideas] == [1, 2, 3, 4]
    assert [r.weighted_score for r in round_result.ideas] == pytest.approx(
        [12.5 / 3, 3.75, 3.0, 5.5 / 3]
    )
    assert round_result.weights == pytest.approx((0.75, 0.25))
    assert round_result.weights_normalised


def test_weights_that_already_sum_to_one_are_not_reported_as_normalised() -> None:
    criteria = [Criterion("need", 0.75), Criterion("cost", 0.25, "lower")]
    round_result = compute_round_result("ABCD", "abc", criteria, score_rows(TABLE, criteria))
    assert not round_result.weights_normalised
    assert round_result.for_idea("B").weighted_score == pytest.approx(3.75)


def test_spread_is_the_interquartile_range_of_scorers_totals() -> None:
    round_result = result()
    assert [round_result.for_idea(i).quartiles for i in "ABCD"] == [
        pytest.approx((3.75, 4.0, 4.5)),
        pytest.approx((3.375, 3.5, 4.0)),
        pytest.approx((2.75, 3.0, 3.25)),
        pytest.approx((1.5, 2.0, 2.25)),
    ]
    assert [round_result.for_idea(i).spread for i in "ABCD"] == pytest.approx(
        [0.75, 0.625, 0.5, 0.75]
    )


def test_the_ideas_scorers_disagree_on_most() -> None:
    # A and D share the largest spread (0.75); A, ranked higher, is named first; then B (0.625).
    assert [r.idea for r in result().most_disagreement] == ["A", "D", "B"]
    assert [r.idea for r in result(most_disagreement=2).most_disagreement] == ["A", "D"]


def test_ideas_everyone_scored_alike_are_not_a_disagreement() -> None:
    same = {"A": 4, "B": 2}
    round_result = compute_round_result("AB", "ab", *one_criterion({"a": same, "b": same}))
    assert round_result.most_disagreement == ()


def test_agreement_of_the_weighted_rankings_by_hand() -> None:
    # Ranks of each scorer's totals: a A1 B2 C3.5 D3.5 (T = 6); b B1 A2 C3 D4; c A1 B2 C3 D4.
    # R: A 4, B 5, C 9.5, D 11.5; S = 3.5² + 2.5² + 2² + 4² = 38.5.
    # W = 12 × 38.5 / (9 × 60 − 3 × 6) = 462 / 522 = 77/87.
    assert result().agreement.w == pytest.approx(77 / 87)
    assert result().agreement.band == "almost perfect"


def test_ties_share_the_better_rank_and_keep_the_rounds_order() -> None:
    # Scores 3, 5, 3, 1: B first, then A and C tied for second, then D fourth.
    table = {"a": {"A": 3, "B": 5, "C": 3, "D": 1}, "b": {"A": 3, "B": 5, "C": 3, "D": 1}}
    round_result = compute_round_result("ABCD", "ab", *one_criterion(table))
    assert [(r.idea, r.rank) for r in round_result.ideas] == [
        ("B", 1),
        ("A", 2),
        ("C", 2),
        ("D", 4),
    ]


def test_equal_totals_from_awkward_weights_still_tie() -> None:
    # Weights 0.1, 0.2, 0.7: A scores (1, 5, 1) and B (2, 1, 2), 0.1 + 1.0 + 0.7 = 1.8 and
    # 0.2 + 0.2 + 1.4 = 1.8, which in floating point come out as 1.8 and 1.7999999999999998.
    criteria = [Criterion("x", 0.1), Criterion("y", 0.2), Criterion("z", 0.7)]
    table = {"a": {"A": (1, 5, 1), "B": (2, 1, 2), "C": (5, 5, 5)}}
    round_result = compute_round_result("ABC", "a", criteria, score_rows(table, criteria))
    assert [(r.idea, r.rank) for r in round_result.ideas] == [("C", 1), ("A", 2), ("B", 2)]


def test_a_scorer_who_left_something_unscored_is_not_counted() -> None:
    # d scored one idea on one criterion, e nothing: both are named, neither changes the result.
    scores = [*score_rows(TABLE, CRITERIA), ("d", "A", "need", 1)]
    round_result = compute_round_result("ABCD", "abcde", CRITERIA, scores)
    assert round_result.scorers == ("a", "b", "c")
    assert round_result.scorers_excluded == ("d", "e")
    assert round_result.for_idea("A").weighted_score == pytest.approx(12.5 / 3)
    assert round_result.agreement.scorers == 3
