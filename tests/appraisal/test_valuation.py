"""NPSV, BCR, optimism bias, additionality and the switching value, against a worked example
calculated by hand from the Green Book schedule (3.5 % a year for years 0–30)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.appraisal.discounting import discount_factors
from app.appraisal.reference import reference
from app.appraisal.results import option_terms
from app.appraisal.valuation import value_option
from tests.appraisal.factories import build_benefit, build_cost, build_option

# The worked example, over a three-year horizon (years 0, 1 and 2).
# Discount factors: year 0 = 1; year 1 = 1 / 1.035 = 0.966184; year 2 = 1 / 1.035² = 0.933511.
#
# Costs
#   Software licence: £10,000 a year in years 0–2, grade 3, so optimism bias 20 % (the
#   registry's default table) makes it £12,000 a year:
#     PV = 12,000 × (1 + 0.966184 + 0.933511) = 12,000 × 2.899694 = £34,796.33
#   Set-up: £5,000 once in year 0, grade 1 (0 %): PV = £5,000.00
#   PV of costs = £39,796.33
# Benefits
#   Staff time saved: £30,000 a year in years 1–2, deadweight 20 %, leakage 10 %, so the
#   additional share is 0.8 × 0.9 = 0.72 and the net benefit £21,600 a year:
#     PV = 21,600 × (0.966184 + 0.933511) = 21,600 × 1.899694 = £41,033.40
# NPSV = 41,033.40 − 39,796.33 = £1,237.07; BCR = 41,033.40 / 39,796.33 = 1.0311: "low" (1 to 1.5).
# Switching value: the largest input is the benefit (PV £41,033 against £34,796 and £5,000).
#   NPSV falls by 1.367780 (= 0.72 × 1.899694) for each pound a year it loses, so it is zero at
#   30,000 − 1,237.07 / 1.367780 = 30,000 − 904.43 = £29,095.57 a year: 3.01 % lower.


@pytest.fixture
def worked_example():
    figures = reference()
    option = build_option(
        costs=[
            build_cost("Software licence", 1_000_000, grade=3, years=[0, 1, 2]),
            build_cost("Set-up", 500_000, recurrence="one-off", nature="capital", years=[0]),
        ],
        benefits=[
            build_benefit(
                "Staff time saved",
                3_000_000,
                years=[1, 2],
                deadweight_percent=Decimal(20),
                leakage_percent=Decimal(10),
            )
        ],
    )
    factors = discount_factors(figures.schedule(), 3)
    return value_option(option_terms(option, factors, figures), figures.value_bands)


def test_present_values_npsv_and_bcr(worked_example):
    assert worked_example.pv_costs == pytest.approx(3_979_633, abs=1)  # pence
    assert worked_example.pv_benefits == pytest.approx(4_103_340, abs=1)
    assert worked_example.npsv == pytest.approx(123_707, abs=1)
    assert worked_example.bcr == pytest.approx(1.0311, abs=1e-4)
    assert worked_example.band is not None
    assert worked_example.band.category == "low"


def test_switching_value_of_the_largest_input(worked_example):
    switching = worked_example.switching
    assert switching is not None
    assert switching.label == "Staff time saved"
    assert switching.side == "benefit"
    assert switching.switching_value == pytest.approx(2_909_557, abs=1)
    assert switching.change_percent == pytest.approx(-3.01, abs=0.01)


def test_a_cost_as_the_largest_input_must_rise_to_switch():
    # One cost of £100 a year in year 0 only (grade 1), one benefit of £150 in year 0:
    # NPSV = £50, so the cost must rise by £50 (50 %) for NPSV to reach zero.
    figures = reference()
    option = build_option(
        costs=[build_cost("Service", 10_000, years=[0])],
        benefits=[build_benefit("Saving", 15_000, years=[0])],
    )
    value = value_option(option_terms(option, [1.0], figures), figures.value_bands)
    assert value.switching is not None
    assert value.switching.label == "Saving"  # £150 is the larger input
    assert value.switching.switching_value == pytest.approx(10_000)
    assert value.switching.change_percent == pytest.approx(-100 / 3)


def test_an_option_with_no_costs_has_no_ratio():
    figures = reference()
    option = build_option(costs=[], benefits=[build_benefit(years=[0])])
    value = value_option(option_terms(option, [1.0], figures), figures.value_bands)
    assert value.bcr is None
    assert value.band is None
    assert value.npsv == pytest.approx(3_000_000)
