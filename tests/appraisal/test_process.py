"""The process model: the saving from channel shift, and the inclusion flag."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.appraisal.reference import reference
from app.appraisal.results import appraisal_results
from tests.appraisal.factories import build_appraisal, build_option, build_step


def permit_option():
    # As is: 1,000 face to face at £9.94 and 2,000 by phone at £3.58 a year:
    #   1,000 × 994 + 2,000 × 358 = 994,000 + 716,000 = 1,710,000p.
    # To be: 200 face to face, 300 by phone, 2,500 on the web at 22p:
    #   200 × 994 + 300 × 358 + 2,500 × 22 = 198,800 + 107,400 + 55,000 = 361,200p.
    # Saving 1,348,800p a year, in years 1 and 2: PV = 1,348,800 × (0.966184 + 0.933511)
    #   = 1,348,800 × 1.899694 = 2,562,308p.
    return build_option(
        benefits=[],
        steps=[
            build_step("as-is", "face-to-face", 1_000, 994),
            build_step("as-is", "phone", 2_000, 358),
            build_step("to-be", "face-to-face", 200, 994),
            build_step("to-be", "phone", 300, 358),
            build_step("to-be", "web", 2_500, 22, minutes=Decimal(0)),
        ],
        process_years=[1, 2],
    )


def test_the_saving_is_the_as_is_cost_less_the_to_be_cost():
    results = appraisal_results(build_appraisal(permit_option()), reference())
    option = results["options"][0]
    process = option["process"]
    assert process["as-is"]["cost_pence"] == 1_710_000
    assert process["to-be"]["cost_pence"] == 361_200
    assert process["yearly_saving_pence"] == 1_348_800
    assert option["pv_benefits_pence"] == pytest.approx(2_562_308, abs=1)
    # Staff time: 3,000 contacts × 10 minutes = 500 hours as is; 500 × 10 minutes to be = 83.3.
    assert process["as-is"]["staff_hours"] == 500.0
    assert process["to-be"]["staff_hours"] == 83.3
    assert process["to-be"]["by_channel"] == {"face-to-face": 200, "phone": 300, "web": 2_500}


def test_a_shift_online_below_the_councils_floor_is_flagged():
    # Offline contacts fall from 3,000 of 3,000 (100 %) to 500 of 3,000 (16.7 %).
    appraisal = build_appraisal(permit_option(), offline_floor_percent=Decimal(20))
    results = appraisal_results(appraisal, reference())
    assert results["options"][0]["process"]["to-be"]["offline_percent"] == 16.7
    flag = results["options"][0]["process"]["inclusion_flag"]
    assert (
        flag
        == "Contacts on offline channels fall to 17%, below the floor of 20% the council stated"
    )
    assert any("below the floor of 20%" in f for f in results["flags"])


def test_a_shift_that_keeps_the_floor_is_not_flagged():
    appraisal = build_appraisal(permit_option(), offline_floor_percent=Decimal(15))
    results = appraisal_results(appraisal, reference())
    assert results["options"][0]["process"]["inclusion_flag"] is None


def test_a_shift_online_with_no_floor_stated_is_flagged():
    results = appraisal_results(build_appraisal(permit_option()), reference())
    assert (
        "no floor for offline contacts is stated"
        in results["options"][0]["process"]["inclusion_flag"]
    )
