"""An appraisal is frozen with its pilot's registration and changes only by amendment with a
reason; `flask history verify` checks its hash with the rest of the pilot's record."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.appraisal.amending import write_appraisal
from app.appraisal.service import appraisal_of
from app.appraisal.validation import AppraisalError
from app.extensions import db
from app.pilots.history import versions_of
from app.pilots.lifecycle import register_pilot
from tests.appraisal.factories import build_appraisal, build_cost, build_option, shortlist
from tests.factories import create_measure, create_pilot, create_registered_pilot


def _verify(app_ctx):
    return app_ctx.test_cli_runner().invoke(args=["history", "verify"])


def test_a_drafts_appraisal_is_frozen_at_registration(app_ctx, council, editor):
    pilot = create_pilot(council, status="draft")
    create_measure(pilot)
    saved = write_appraisal(pilot, shortlist(), editor)
    assert versions_of(pilot) == []  # a draft's appraisal is simply saved
    register_pilot(pilot, editor)
    assert versions_of(pilot)[0].snapshot["appraisal"] == saved.content_hash
    assert _verify(app_ctx).exit_code == 0


def test_after_registration_a_change_needs_a_reason_and_saves_nothing_without_one(
    app_ctx, council, editor
):
    pilot = create_registered_pilot(council)
    with pytest.raises(AppraisalError) as raised:
        write_appraisal(pilot, shortlist(), editor, reason="  ")
    assert "reason" in raised.value.errors
    assert appraisal_of(pilot) is None
    assert len(versions_of(pilot)) == 1


def test_a_pilot_registered_without_one_gains_it_by_a_major_amendment(app_ctx, council, editor):
    pilot = create_registered_pilot(council)
    saved = write_appraisal(pilot, shortlist(), editor, reason="The business case, as approved")
    first, second = versions_of(pilot)
    assert (second.major, second.minor) == (2, 0)
    assert second.reason == "The business case, as approved"
    assert second.diff == {"appraisal": {"from": None, "to": saved.content_hash}}
    assert first.snapshot["appraisal"] is None
    assert _verify(app_ctx).exit_code == 0

    changed = shortlist()
    changed.options[2].costs = [build_cost(likely=2_000_000)]
    write_appraisal(pilot, changed, editor, reason="The supplier's quote came in higher")
    third = versions_of(pilot)[-1]
    assert (third.major, third.diff["appraisal"]["from"]) == (3, saved.content_hash)
    assert _verify(app_ctx).exit_code == 0


def test_saving_the_same_appraisal_again_is_not_an_amendment(app_ctx, council, editor):
    pilot = create_registered_pilot(council)
    write_appraisal(pilot, shortlist(), editor, reason="Added")
    with pytest.raises(AppraisalError) as raised:
        write_appraisal(pilot, shortlist(), editor, reason="Again")
    assert raised.value.errors["reason"].startswith("Nothing was changed")
    assert len(versions_of(pilot)) == 2


def test_a_change_made_around_the_amendment_fails_verify(app_ctx, council, editor):
    pilot = create_registered_pilot(council)
    write_appraisal(pilot, build_appraisal(build_option()), editor, reason="Added")
    db.session.execute(text("UPDATE appraisals SET content_hash = 'x' WHERE pilot_id = :id"),
                       {"id": pilot.id})  # fmt: skip
    db.session.commit()
    result = _verify(app_ctx)
    assert result.exit_code == 1
    assert "appraisal" in result.output


def test_a_withdrawn_pilots_appraisal_cannot_change(app_ctx, council, editor):
    pilot = create_registered_pilot(council)
    pilot.status = "withdrawn"
    db.session.commit()
    with pytest.raises(AppraisalError):
        write_appraisal(pilot, shortlist(), editor, reason="Late")
    assert appraisal_of(pilot) is None
