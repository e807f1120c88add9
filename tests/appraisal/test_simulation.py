"""The Monte Carlo: deterministic by seed, exact when nothing is uncertain, and true to the
triangular distribution's closed form."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.appraisal.reference import reference
from app.appraisal.results import appraisal_results
from app.appraisal.simulation import simulate, spread, tornado, triangular_quantile
from app.appraisal.valuation import Term
from tests.appraisal.factories import (
    build_appraisal,
    build_benefit,
    build_cost,
    build_option,
    shortlist,
)


def test_the_same_seed_gives_the_same_figures():
    first = appraisal_results(shortlist(seed=7), reference())
    again = appraisal_results(shortlist(seed=7), reference())
    other = appraisal_results(shortlist(seed=8), reference())
    assert first == again
    assert first["options"][2]["npsv_pence"] != other["options"][2]["npsv_pence"]
    assert first["seed"] == 7
    assert first["iterations"] == 10_000


def test_with_no_uncertainty_every_percentile_is_the_deterministic_value():
    # low = likely = high on every line: each future is the likely one.
    results = appraisal_results(build_appraisal(build_option()), reference())
    option = results["options"][0]
    assert option["npsv_pence"] == [option["npsv_likely_pence"]] * 3
    assert option["bcr"] == [option["bcr_likely"]] * 3
    # By hand: benefit 3,000,000 × 1.899694 = 5,699,083; cost 1,000,000 × 2.899694 = 2,899,694;
    # NPSV 2,799,389 > 0 in every future.
    assert option["npsv_likely_pence"] == pytest.approx(2_799_389, abs=1)
    assert option["p_npsv_positive"] == 1.0


# A single triangular line: low a = 0, likely c = 30, high b = 90, weight 1 (so its PV is the
# draw). Closed form: mean (a + b + c) / 3 = 40; variance (a² + b² + c² − ab − ac − bc) / 18 =
# (0 + 8,100 + 900 − 0 − 0 − 2,700) / 18 = 350. CDF below the mode (x − a)² / ((b − a)(c − a)),
# above it 1 − (b − x)² / ((b − a)(b − c)): F(30) = 900 / 2,700 = 1/3; F(60) = 1 − 900 / 5,400
# = 5/6. F(c) = 1/3 < 1/2, so the median is b − √((b − a)(b − c) / 2) = 90 − √2,700 = 38.0385.
LINE = Term("benefit:one", "One line", "benefit", 0.0, 30.0, 90.0, 1.0)
DRAWS = 200_000


def test_a_single_triangular_line_against_its_closed_form():
    values = simulate([[LINE]], seed=11, iterations=DRAWS).pv_benefits[0]
    standard_error = math.sqrt(350 / DRAWS)  # 0.042
    assert values.mean() == pytest.approx(40, abs=4 * standard_error)
    assert values.var() == pytest.approx(350, rel=0.02)
    # An empirical share's standard error is at most √(0.25 / 200,000) = 0.0011.
    assert np.mean(values <= 30) == pytest.approx(1 / 3, abs=0.005)
    assert np.mean(values <= 60) == pytest.approx(5 / 6, abs=0.005)
    assert np.median(values) == pytest.approx(90 - math.sqrt(2_700), abs=0.3)
    assert values.min() >= 0 and values.max() <= 90


def test_the_quantile_function_inverts_the_closed_form_cdf():
    low, likely, high = np.array([0.0]), np.array([30.0]), np.array([90.0])
    assert triangular_quantile(1 / 3, low, likely, high)[0] == pytest.approx(30)
    assert triangular_quantile(5 / 6, low, likely, high)[0] == pytest.approx(60)
    assert triangular_quantile(0.0, low, likely, high)[0] == pytest.approx(0)
    assert triangular_quantile(1.0, low, likely, high)[0] == pytest.approx(90)
    point = np.array([5.0])
    assert triangular_quantile(0.42, point, point, point)[0] == 5.0


def test_options_sharing_a_line_see_the_same_futures():
    # Both options carry the same uncertain cost; the preferred one has £1 a year more benefit.
    # With common random numbers the preferred option is ahead in every future, so the
    # probability that it beats the do-minimum is exactly 1 (independent draws would give
    # about a half).
    cost = dict(low=500_000, high=2_000_000, years=[0, 1, 2])
    appraisal = build_appraisal(
        build_option("do-minimum", costs=[build_cost(**cost)], benefits=[build_benefit()]),
        build_option(
            "preferred", costs=[build_cost(**cost)], benefits=[build_benefit(likely=3_000_100)]
        ),
    )
    results = appraisal_results(appraisal, reference())
    assert results["p_preferred_beats_do_minimum"] == 1.0


def test_spread_of_an_uncertain_option():
    # Benefit £0 to £90 (likely £30) in year 0, no costs: P5, P50, P95 of the triangle are
    # √(0.05 × 2,700) = 11.62, 38.04 and 90 − √(0.05 × 5,400) = 73.57 pounds.
    draws = simulate([[Term("benefit:b", "B", "benefit", 0, 3_000, 9_000, 1.0)]], 3, 100_000)
    found = spread(draws, 0)
    assert found.npsv == pytest.approx((1_162, 3_804, 7_357), abs=40)
    assert found.p_positive == 1.0
    assert found.bcr is None  # no costs in any future


def test_tornado_puts_the_widest_input_first():
    # NPSV at likely = 30 − 10 = 20. The benefit (0, 30, 90) at its P5 and P95: 11.62 and 73.57,
    # so NPSV 1.62 and 63.57. The cost (9, 10, 11) at its P5: 9 + √(0.05 × 2 × 1) = 9.316,
    # P95: 11 − √(0.05 × 2) = 10.684: NPSV 20.68 and 19.32.
    terms = [
        Term("cost:c", "Cost", "cost", 9, 10, 11, 1.0),
        Term("benefit:b", "Benefit", "benefit", 0, 30, 90, 1.0),
    ]
    bars = tornado(terms, 20.0)
    assert [bar.label for bar in bars] == ["Benefit", "Cost"]
    assert (bars[0].npsv_at_low, bars[0].npsv_at_high) == pytest.approx((1.62, 63.57), abs=0.01)
    assert (bars[1].npsv_at_low, bars[1].npsv_at_high) == pytest.approx((20.68, 19.32), abs=0.01)


def test_results_are_plain_json_values():
    results = appraisal_results(shortlist(), reference())
    option = results["options"][2]
    assert type(option["npsv_pence"][1]) is int
    assert type(option["p_npsv_positive"]) is float
    assert type(results["p_preferred_beats_do_minimum"]) is float
    assert 0 < option["p_npsv_positive"] <= 1
    low, middle, high = option["npsv_pence"]
    assert low < middle < high
    assert results["flags"] == []  # a full shortlist, no process model


def test_the_simulation_is_the_triangular_quantile_of_each_inputs_own_draws():
    # simulate() splits a value into low + span × a standard quantile; the sum must still be
    # the triangular quantile of the input's own uniforms, times its weight.
    from app.appraisal.simulation import uniform_draws

    cost = Term("cost:c", "C", "cost", 100.0, 400.0, 1_000.0, 2.5)
    draws = simulate([[cost]], seed=5, iterations=1_000)
    u = uniform_draws(5, "cost:c", 1_000).astype(np.float64)
    expected = 2.5 * triangular_quantile(u, np.array(100.0), np.array(400.0), np.array(1_000.0))
    assert draws.pv_costs[0] == pytest.approx(expected, rel=1e-5)
