"""A second scoring (Delphi): the anonymised first-round picture, and both rounds side by side."""

from __future__ import annotations

from dataclasses import fields

import pytest

from app.choosing.consensus import compute_round_result, round_result
from app.choosing.delphi import IdeaDistribution, first_round_distribution, side_by_side
from app.choosing.scoresheet import ScoreSheetError, build_score_sheet
from tests.choosing.sheets import score_rows
from tests.choosing.test_consensus import CRITERIA, TABLE

SECOND = {**TABLE, "c": {**TABLE["c"], "D": (5, 1)}}  # c now rates D highly: total 5.0, was 1.0


def test_the_first_round_distribution_counts_each_score_without_naming_anyone() -> None:
    sheet = build_score_sheet("ABCD", "abc", CRITERIA, score_rows(TABLE, CRITERIA))
    distribution = {d.idea: d for d in first_round_distribution(sheet)}
    # A's need was scored 5, 4, 3; its cost 1, 2, 1 (as scored: 1 is cheap, before reversal).
    assert distribution["A"].counts == {"need": (0, 0, 1, 1, 1), "cost": (2, 1, 0, 0, 0)}
    # D's need 3, 2, 1; its cost 5, 4, 5.
    assert distribution["D"].counts == {"need": (1, 1, 1, 0, 0), "cost": (0, 0, 0, 1, 2)}
    assert distribution["A"].scorers == 3
    # The weighted totals' quartiles, as in test_consensus: A 3.5, 4, 5 → 3.75, 4, 4.5.
    assert distribution["A"].quartiles == pytest.approx((3.75, 4.0, 4.5))
    assert [d.idea for d in first_round_distribution(sheet)] == ["A", "B", "C", "D"]
    assert [f.name for f in fields(IdeaDistribution)] == ["idea", "scorers", "counts", "quartiles"]


def test_both_rounds_side_by_side() -> None:
    first = compute_round_result("ABCD", "abc", CRITERIA, score_rows(TABLE, CRITERIA))
    second = round_result(build_score_sheet("ABCD", "abc", CRITERIA, score_rows(SECOND, CRITERIA)))
    # D's totals become 2.5, 2, 5: mean 9.5/3 ≈ 3.17, above C's 3, so D rises from 4th to 3rd.
    # Its spread: 2, 2.5, 5 → Q1 2.25, Q3 3.75, IQR 1.5, up from 0.75.
    compared = side_by_side(first, second)
    assert [row.idea for row in compared.ideas] == ["A", "B", "D", "C"]
    by_idea = {row.idea: row for row in compared.ideas}
    assert (by_idea["D"].first.rank, by_idea["D"].second.rank, by_idea["D"].rank_change) == (
        4,
        3,
        1,
    )
    assert by_idea["C"].rank_change == -1
    assert by_idea["D"].second.weighted_score == pytest.approx(9.5 / 3)
    assert by_idea["D"].spread_change == pytest.approx(0.75)
    assert by_idea["A"].spread_change == 0
    assert compared.first == first.agreement
    assert compared.second == second.agreement


def test_rounds_of_different_ideas_cannot_be_compared() -> None:
    first = compute_round_result("ABCD", "abc", CRITERIA, score_rows(TABLE, CRITERIA))
    fewer = {
        scorer: {i: s for i, s in ideas.items() if i != "D"} for scorer, ideas in TABLE.items()
    }
    second = compute_round_result("ABC", "abc", CRITERIA, score_rows(fewer, CRITERIA))
    with pytest.raises(ScoreSheetError) as error:
        side_by_side(first, second)
    assert error.value.field == "ideas"
