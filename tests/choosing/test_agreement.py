"""Kendall's W, worked by hand on small tables, checked against Friedman's statistic, and held to
the properties any W must have."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import friedmanchisquare

from app.choosing.agreement import band_of, kendalls_w
from app.choosing.consensus import compute_round_result
from tests.choosing.sheets import one_criterion

# One criterion of weight 1, so each scorer's weighted total is their score.
NO_TIES = {
    "a": {"A": 5, "B": 4, "C": 3, "D": 2},  # ranks A1 B2 C3 D4
    "b": {"A": 4, "B": 5, "C": 3, "D": 1},  # ranks A2 B1 C3 D4
    "c": {"A": 5, "B": 3, "C": 4, "D": 2},  # ranks A1 B3 C2 D4
}
WITH_TIES = {
    "a": {"A": 5, "B": 5, "C": 3, "D": 1},  # ranks 1.5 1.5 3 4; one pair tied: T = 2³ − 2 = 6
    "b": {"A": 4, "B": 3, "C": 3, "D": 3},  # ranks 1 3 3 3; three tied: T = 3³ − 3 = 24
    "c": {"A": 5, "B": 4, "C": 2, "D": 1},  # ranks 1 2 3 4; T = 0
}


def w_of(table: dict[str, dict[str, int]]) -> float | None:
    criteria, scores = one_criterion(table)
    ideas = list(next(iter(table.values())))
    return compute_round_result(ideas, list(table), criteria, scores).agreement.w


def test_w_without_ties_by_hand() -> None:
    # m = 3 scorers, n = 4 ideas. Rank sums R: A 1+2+1 = 4, B 2+1+3 = 6, C 3+3+2 = 8,
    # D 4+4+4 = 12; their mean is m(n + 1)/2 = 7.5. S = 3.5² + 1.5² + 0.5² + 4.5² = 35.
    # W = 12 × 35 / (3² × (4³ − 4)) = 420 / 540 = 7/9.
    result = compute_round_result("ABCD", "abc", *one_criterion(NO_TIES))
    assert result.agreement.w == pytest.approx(7 / 9)
    assert result.agreement.band == "substantial"
    assert (result.agreement.scorers, result.agreement.ideas) == (3, 4)


def test_w_with_ties_is_corrected_by_hand() -> None:
    # Rank sums: A 1.5+1+1 = 3.5, B 1.5+3+2 = 6.5, C 3+3+3 = 9, D 4+3+4 = 11 (they add up to
    # m·n(n + 1)/2 = 30).
    # S = 4² + 1² + 1.5² + 3.5² = 31.5; ΣT = 6 + 24 + 0 = 30.
    # W = 12 × 31.5 / (9 × 60 − 3 × 30) = 378 / 450 = 0.84: almost perfect. Without the
    # correction it would be 378 / 540 = 0.7, only substantial.
    agreement = compute_round_result("ABCD", "abc", *one_criterion(WITH_TIES)).agreement
    assert agreement.w == pytest.approx(0.84)
    assert agreement.band == "almost perfect"


@pytest.mark.parametrize("table", [NO_TIES, WITH_TIES], ids=["no ties", "with ties"])
def test_w_is_friedmans_statistic_over_m_n_minus_one(table: dict[str, dict[str, int]]) -> None:
    # scipy's Friedman statistic is tie-corrected, so W = χ²_F / (m(n − 1)) with the corrected W.
    ideas = "ABCD"
    chi_square, _ = friedmanchisquare(*[[table[s][idea] for s in table] for idea in ideas])
    assert w_of(table) == pytest.approx(chi_square / (3 * (4 - 1)))


def test_w_matches_friedman_on_random_tables_with_many_ties() -> None:
    rng = np.random.default_rng(15)
    for _ in range(200):
        m, n = int(rng.integers(2, 7)), int(rng.integers(3, 8))
        totals = rng.integers(1, 4, size=(m, n)).astype(float)  # scores 1–3: ties everywhere
        agreement = kendalls_w(totals)
        if agreement.w is None:  # every scorer tied every idea: Friedman divides by zero too
            assert (totals == totals[:, :1]).all()
            continue
        chi_square, _ = friedmanchisquare(*totals.T)
        assert agreement.w == pytest.approx(chi_square / (m * (n - 1)), abs=1e-9)
        assert 0 <= agreement.w <= 1


def test_w_is_one_when_every_scorer_agrees_even_with_ties() -> None:
    # Identical rankings: S = m² Σ(r − (n+1)/2)² = m²(n³ − n − T)/12, so the corrected W is 1
    # exactly; without the correction a tie would pull it below 1.
    same = {"A": 5, "B": 5, "C": 2, "D": 1, "E": 4}
    assert w_of({"a": same, "b": same, "c": same}) == pytest.approx(1)
    distinct = {"A": 1, "B": 5, "C": 3, "D": 2}
    assert w_of({"a": distinct, "b": distinct}) == pytest.approx(1)


def test_w_is_zero_when_two_scorers_rank_in_reverse() -> None:
    # R = 1+3, 2+2, 3+1 = 4, 4, 4: every rank sum at its mean, S = 0.
    agreement = kendalls_w(np.array([[5.0, 4.0, 3.0], [3.0, 4.0, 5.0]]))
    assert agreement.w == 0
    assert agreement.band == "slight"


def test_w_does_not_depend_on_the_ideas_names_or_order() -> None:
    renamed = {
        scorer: {f"idea {idea}": score for idea, score in reversed(ideas.items())}
        for scorer, ideas in WITH_TIES.items()
    }
    assert w_of(renamed) == pytest.approx(w_of(WITH_TIES))


@pytest.mark.parametrize(
    ("totals", "reason"),
    [
        ([[5.0, 3.0, 1.0]], "fewer than two scorers"),
        ([[5.0], [3.0], [1.0]], "fewer than two ideas"),
        ([[4.0, 4.0, 4.0], [2.0, 2.0, 2.0]], "every idea tied"),
    ],
)
def test_w_is_undefined_with_nothing_to_agree_on(totals: list[list[float]], reason: str) -> None:
    agreement = kendalls_w(np.array(totals))
    assert (agreement.w, agreement.band, agreement.undefined_because) == (None, None, reason)


@pytest.mark.parametrize(
    ("w", "band"),
    [
        (0.0, "slight"),
        (0.199, "slight"),
        (0.2, "fair"),
        (0.4, "moderate"),
        (0.599, "moderate"),
        (0.6, "substantial"),
        (0.8, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_bands_include_their_lower_edge(w: float, band: str) -> None:
    assert band_of(w) == band
