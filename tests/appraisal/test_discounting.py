"""Discount factors and value-for-money bands against the reference's schedule, worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.appraisal.discounting import discount_factors, value_for_money
from app.appraisal.reference import reference


@pytest.fixture
def figures():
    return reference()


def test_the_default_schedule_is_the_green_book_standard_rate(figures):
    schedule = figures.schedule()
    assert schedule.edition == "green-book-2022"
    assert "Green Book" in schedule.source
    assert [schedule.rate_for(y) for y in (1, 30, 31, 75, 76, 125, 126, 200, 201, 300, 301)] == [
        Decimal(r)
        for r in (
            "0.035",
            "0.035",
            "0.030",
            "0.030",
            "0.025",
            "0.025",
            "0.020",
            "0.020",
            "0.015",
            "0.015",
            "0.010",
        )
    ]


def test_factors_for_the_first_years_at_three_and_a_half_per_cent(figures):
    # By hand: year 0 is the base year, 1; year 1 is 1 / 1.035 = 0.966184; year 2 is
    # 1 / 1.035² = 1 / 1.071225 = 0.933511; year 3 is 1 / 1.035³ = 1 / 1.108718 = 0.901943.
    factors = discount_factors(figures.schedule(), 4)
    assert factors == pytest.approx([1.0, 0.966184, 0.933511, 0.901943], abs=1e-6)


def test_the_step_from_three_and_a_half_to_three_per_cent_after_year_30(figures):
    # By hand: 1.035³⁰ = 2.806794, so year 30's factor is 0.356278. Year 31 is discounted from
    # year 30 at 3.0 %, not from year 0: 0.356278 / 1.03 = 0.345901; year 32: / 1.03 = 0.335826.
    # (3.5 % all the way would give 1.035⁻³¹ = 0.344230; 3.0 % from year 0, 1.03⁻³¹ = 0.399987.)
    factors = discount_factors(figures.schedule(), 33)
    assert factors[30] == pytest.approx(0.356278, abs=1e-6)
    assert factors[31] == pytest.approx(0.345901, abs=1e-6)
    assert factors[32] == pytest.approx(0.335826, abs=1e-6)
    assert factors[31] == pytest.approx(1.035**-30 / 1.03, rel=1e-12)


def test_the_step_at_year_75_compounds_on_the_years_before(figures):
    # Year 76 is year 75's factor divided by 1.025: 1.035⁻³⁰ × 1.03⁻⁴⁵ × 1.025⁻¹.
    factors = discount_factors(figures.schedule(), 77)
    assert factors[76] == pytest.approx(1.035**-30 * 1.03**-45 / 1.025, rel=1e-12)


def test_a_new_edition_is_data(figures):
    health = figures.schedule("green-book-2022-health")
    # 1 / 1.015 = 0.985222 for year 1 at the health-effects rate.
    assert discount_factors(health, 2)[1] == pytest.approx(0.985222, abs=1e-6)
    with pytest.raises(ValueError, match="no discount schedule"):
        figures.schedule("green-book-1066")


@pytest.mark.parametrize(
    ("ratio", "category"),
    [
        (-0.5, "very-poor"),
        (-0.0001, "very-poor"),
        (0, "poor"),
        (0.9999, "poor"),
        (1, "low"),
        (1.4999, "low"),
        (1.5, "medium"),
        (1.9999, "medium"),
        (2, "high"),
        (3.9999, "high"),
        (4, "very-high"),
        (12, "very-high"),
    ],
)
def test_value_for_money_bands_a_boundary_takes_the_upper_band(figures, ratio, category):
    band = value_for_money(ratio, figures.value_bands)
    assert band is not None
    assert band.category == category


def test_no_ratio_has_no_band(figures):
    assert value_for_money(None, figures.value_bands) is None


def test_reference_figures_carry_their_sources_and_the_warning(figures):
    assert "Department for Transport" in figures.value_for_money_source
    assert "not a published table" in figures.optimism_bias_source
    assert "simple information contacts" in figures.channel_warning
    face = figures.channels["face-to-face"]
    # The reference's face-to-face range: £7.40 (Socitm 2009) to £14.00 (Socitm north-west).
    assert (face.low, face.high, face.offline) == (740, 1400, True)
    assert figures.channels["web"].offline is False
    assert figures.channels["assisted-digital"].typical is None  # entered by the council


def test_a_council_overrides_optimism_bias_and_channel_costs(figures):
    own = figures.with_overrides(
        optimism_bias={
            1: Decimal(5),
            2: Decimal(10),
            3: Decimal(15),
            4: Decimal(20),
            5: Decimal(60),
        },
        channel_costs={"assisted-digital": (900, 1200, 1500)},
        source="Our 2025 contact centre costing",
    )
    assert own.optimism_bias[5] == Decimal(60)
    assert own.optimism_bias_source == "Our 2025 contact centre costing"
    assert own.channels["assisted-digital"].typical == 1200
    assert own.overridden == ("optimism_bias", "channel_costs")
    assert figures.optimism_bias[5] == Decimal(40)  # the registry's own are unchanged
    with pytest.raises(ValueError, match="each grade"):
        figures.with_overrides(optimism_bias={1: Decimal(5)})
