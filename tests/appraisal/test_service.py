"""Saving an appraisal: everything checked first, nothing saved when anything is wrong, and the
results and content hash stored with it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.appraisal.document import content_hash
from app.appraisal.models import Appraisal, AppraisalOption, CostLine
from app.appraisal.service import appraisal_hash, appraisal_of, save_appraisal
from app.appraisal.validation import AppraisalError
from app.extensions import db
from app.pilots.models import Pilot
from tests.appraisal.factories import (
    build_appraisal,
    build_benefit,
    build_cost,
    build_option,
    build_step,
    shortlist,
)
from tests.factories import create_pilot


def _errors(appraisal):
    pilot = create_pilot()
    with pytest.raises(AppraisalError) as raised:
        save_appraisal(pilot, appraisal)
    assert db.session.scalar(select(func.count()).select_from(Appraisal)) == 0
    assert db.session.scalar(select(func.count()).select_from(CostLine)) == 0
    return raised.value.errors


def _one_option(**values):
    return build_appraisal(build_option(**values))


@pytest.mark.parametrize(
    ("appraisal", "field", "message"),
    [
        (
            lambda: _one_option(costs=[build_cost(low=900, likely=800, high=700)]),
            "options-0-costs-0-high_pence",
            "The high cost must be at least the low one",
        ),
        (
            lambda: _one_option(costs=[build_cost(low=100, likely=900, high=500)]),
            "options-0-costs-0-likely_pence",
            "The most likely cost must be between low and high",
        ),
        (
            lambda: _one_option(costs=[build_cost(low=-100, likely=100, high=200)]),
            "options-0-costs-0-low_pence",
            "A cost cannot be negative",
        ),
        (
            lambda: _one_option(benefits=[build_benefit(deadweight_percent=Decimal(101))]),
            "options-0-benefits-0-deadweight_percent",
            "Enter a percentage from 0 to 100",
        ),
        (
            lambda: _one_option(costs=[build_cost(years=[0, 3])]),  # a 3-year horizon: 0 to 2
            "options-0-costs-0-years",
            "Years run from 0 (the price year) to 2, within the horizon",
        ),
        (
            lambda: _one_option(costs=[], benefits=[]),
            "options-0",
            "Add at least one cost, benefit or process step to this option",
        ),
        (
            lambda: _one_option(
                steps=[
                    build_step("as-is", "phone", 0, 358, low=0, high=0),
                    build_step("to-be", "web", 100, 22),
                ],
                process_years=[1],
            ),
            "options-0-steps-0-volume_likely",
            "A step with no yearly contacts cannot save anything: enter its volume, "
            "or remove the step",
        ),
        (
            lambda: build_appraisal(build_option(), horizon_years=11),
            "horizon_years",
            "Enter a horizon of 1 to 10 years",
        ),
        (
            lambda: _one_option(costs=[build_cost(grade=6)]),
            "options-0-costs-0-confidence_grade",
            "Choose a confidence grade from 1 to 5",
        ),
        (
            lambda: _one_option(costs=[build_cost(recurrence="one-off", years=[0, 1])]),
            "options-0-costs-0-years",
            "A one-off cost falls in one year: choose one, or make it recurring",
        ),
        (
            lambda: build_appraisal(build_option(), offline_floor_percent=Decimal(150)),
            "offline_floor_percent",
            "Enter a percentage from 0 to 100",
        ),
        (
            lambda: build_appraisal(build_option("preferred"), build_option("preferred")),
            "options",
            "Only one option can be the preferred",
        ),
    ],
    ids=[
        "high-below-low",
        "likely-outside-range",
        "negative-cost",
        "percentage-over-100",
        "year-beyond-horizon",
        "option-with-no-lines",
        "zero-volume-step-with-a-saving",
        "pilot-horizon-over-10",
        "grade-out-of-range",
        "one-off-in-two-years",
        "floor-over-100",
        "two-preferred",
    ],
)
def test_bad_input_is_refused_against_its_field(app_ctx, appraisal, field, message):
    errors = _errors(appraisal())
    assert errors[field] == message


def test_every_problem_is_reported_at_once(app_ctx):
    errors = _errors(
        build_appraisal(
            build_option(costs=[build_cost(low=-1, likely=0, high=1)]),
            build_option("alternative", costs=[], benefits=[]),
        )
    )
    assert set(errors) == {"options-0-costs-0-low_pence", "options-1"}


def test_saved_and_loaded_alike(app_ctx):
    pilot = create_pilot()
    appraisal = shortlist(offline_floor_percent=Decimal("12.5"))
    appraisal.options[2].benefits[0].deadweight_percent = Decimal("12.5")
    appraisal.options[2].steps = [
        build_step("as-is", "face-to-face", 1_000, 994, minutes=Decimal("7.5")),
        build_step("to-be", "web", 1_000, 22, minutes=Decimal(0)),
    ]
    appraisal.options[2].process_years = [2, 1]
    saved = save_appraisal(pilot, appraisal)
    saved_hash, saved_results, pilot_id = saved.content_hash, saved.results, pilot.id
    db.session.expunge_all()  # read back from the database, not from the session
    pilot = db.session.get(Pilot, pilot_id)

    loaded = appraisal_of(pilot)
    assert loaded is not None
    assert [o.kind for o in loaded.options] == [
        "business-as-usual",
        "do-minimum",
        "preferred",
        "alternative",
    ]
    preferred = loaded.options[2]
    assert preferred.benefits[0].deadweight_percent == Decimal("12.50")
    assert preferred.steps[0].staff_minutes == Decimal("7.50")
    assert preferred.process_years == [1, 2]
    assert loaded.seed == 2026 and loaded.iterations == 10_000
    assert loaded.discount_edition == "green-book-2022"
    assert loaded.results == saved_results
    assert len(saved_hash) == 64
    assert appraisal_hash(pilot) == saved_hash
    # The hash is of what was entered: recomputed from the rows read back, it is the same.
    assert content_hash(loaded) == saved_hash
    # 1,000 contacts move from £9.94 face to face to 22p on the web: 972p each, 972,000p a year.
    assert saved_results["options"][2]["process"]["yearly_saving_pence"] == 972_000


def test_saving_again_replaces_the_appraisal(app_ctx):
    pilot = create_pilot()
    first = save_appraisal(pilot, shortlist())
    first_hash = first.content_hash
    second = save_appraisal(pilot, build_appraisal(build_option(costs=[build_cost(likely=7)])))
    assert second.content_hash != first_hash
    assert db.session.scalar(select(func.count()).select_from(Appraisal)) == 1
    assert db.session.scalar(select(func.count()).select_from(AppraisalOption)) == 1
    assert appraisal_hash(pilot) == second.content_hash


def test_a_seed_is_drawn_when_none_is_given_and_kept(app_ctx):
    pilot = create_pilot()
    saved = save_appraisal(pilot, build_appraisal(seed=None))
    assert saved.seed is not None
    assert saved.results["seed"] == saved.seed


def test_a_pilot_without_an_appraisal_has_no_hash(app_ctx):
    assert appraisal_hash(create_pilot()) is None
