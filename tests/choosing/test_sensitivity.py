"""The weight-sensitivity check, worked by hand: each weight ±20 %, renormalised; does the top
three change?"""

from __future__ import annotations

import pytest

from app.choosing.consensus import RoundResult, compute_round_result
from app.choosing.scoresheet import Criterion
from tests.choosing.sheets import Table, score_rows

# Two criteria of weight 1 each, so 0.5 and 0.5. Each scorer's scores as (x, y):
CRITERIA = [Criterion("x", 1), Criterion("y", 1)]
CLOSE_THIRD = {
    "a": {"A": (5, 5), "B": (4, 4), "C": (2, 4), "D": (5, 1)},
    "b": {"A": (5, 5), "B": (4, 4), "C": (2, 4), "D": (5, 1)},
    "c": {"A": (5, 5), "B": (4, 4), "C": (2, 5), "D": (5, 1)},
}
# Means: A (5, 5), B (4, 4), C (2, 13/3), D (5, 1). Weighted: A 5, B 4, C 19/6 ≈ 3.17, D 3.
# x raised by a fifth: weights 0.6 and 0.5, renormalised to 6/11 and 5/11.
#   C = (12 + 65/3) / 11 ≈ 3.06, D = (30 + 5) / 11 ≈ 3.18: D overtakes C, the top three changes.
# x lowered by a fifth: 0.4 and 0.5 → 4/9 and 5/9. C = (8 + 65/3) / 9 ≈ 3.30, D = 25/9 ≈ 2.78.
# y raised: 5/11 and 6/11. C = (10 + 26) / 11 ≈ 3.27, D = 31/11 ≈ 2.82.
# y lowered: 5/9 and 4/9. C = (10 + 52/3) / 9 ≈ 3.04, D = 29/9 ≈ 3.22: D overtakes C again.
# A (5) and B (4) stay above C and D whatever the weights.


def sensitivity(table: Table) -> RoundResult:
    return compute_round_result("ABCD", "abc", CRITERIA, score_rows(table, CRITERIA))


def test_each_weight_moved_a_fifth_each_way_and_renormalised() -> None:
    changes = sensitivity(CLOSE_THIRD).sensitivity
    assert [(c.criterion, c.change) for c in changes] == [
        ("x", 0.2),
        ("x", -0.2),
        ("y", 0.2),
        ("y", -0.2),
    ]
    assert [c.weights for c in changes] == [
        pytest.approx((6 / 11, 5 / 11)),
        pytest.approx((4 / 9, 5 / 9)),
        pytest.approx((5 / 11, 6 / 11)),
        pytest.approx((5 / 9, 4 / 9)),
    ]


def test_a_close_third_place_changes_with_the_weights() -> None:
    result = sensitivity(CLOSE_THIRD)
    assert [r.idea for r in result.ideas][:3] == ["A", "B", "C"]
    assert [(c.top_three, c.changed, c.reordered) for c in result.sensitivity] == [
        (("A", "B", "D"), True, False),
        (("A", "B", "C"), False, False),
        (("A", "B", "C"), False, False),
        (("A", "B", "D"), True, False),
    ]
    assert not result.top_three_holds


def test_the_same_three_in_another_order_is_reordered_not_changed() -> None:
    # Means: A (5, 1) → 3, B (1, 14/3) → 17/6 ≈ 2.83, C (2, 2) → 2, D (1, 1) → 1.
    # y raised (5/11, 6/11): A = 31/11 ≈ 2.82, B = (5 + 28) / 11 = 3: B passes A.
    # x lowered (4/9, 5/9): A = 25/9 ≈ 2.78, B = (4 + 70/3) / 9 ≈ 3.04: B passes A.
    # x raised (6/11, 5/11): A = 35/11 ≈ 3.18, B ≈ 2.67; y lowered (5/9, 4/9): A ≈ 3.22, B ≈ 2.63.
    # C and D stay fourth and below A and B throughout, so the same three ideas stay on top.
    table = {
        "a": {"A": (5, 1), "B": (1, 5), "C": (2, 2), "D": (1, 1)},
        "b": {"A": (5, 1), "B": (1, 5), "C": (2, 2), "D": (1, 1)},
        "c": {"A": (5, 1), "B": (1, 4), "C": (2, 2), "D": (1, 1)},
    }
    result = sensitivity(table)
    assert [(c.top_three, c.changed, c.reordered) for c in result.sensitivity] == [
        (("A", "B", "C"), False, False),
        (("B", "A", "C"), False, True),
        (("B", "A", "C"), False, True),
        (("A", "B", "C"), False, False),
    ]
    assert result.top_three_holds


def test_a_tie_for_third_puts_both_in_the_top_three() -> None:
    table = {"a": {"A": (5, 5), "B": (4, 4), "C": (3, 3), "D": (3, 3), "E": (1, 1)}}
    result = compute_round_result("ABCDE", "a", CRITERIA, score_rows(table, CRITERIA))
    assert result.sensitivity[0].top_three == ("A", "B", "C", "D")
    assert result.top_three_holds
