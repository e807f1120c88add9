"""The demo's appraisals: four pilots gain one, each by a major amendment with a reason, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.appraisal.models import Appraisal
from app.appraisal.service import appraisal_of
from app.content.demo import load_demo
from app.extensions import db
from app.pilots import history
from app.pilots.models import PilotVersion
from app.pilots.service import pilot_by_slug

KEC = ("kec-parking-permit-renewal-options", "kec-housing-repairs-triage-simulation")


def test_kec_pilots_gain_full_appraisals_by_amendment_once(app_ctx):
    summary = load_demo()
    assert summary.appraisals == 4
    for slug in KEC:
        pilot = pilot_by_slug(slug)
        appraisal = appraisal_of(pilot)
        assert len(appraisal.options) == 4
        assert any(option.steps for option in appraisal.options)  # a process model
        latest = history.versions_of(pilot)[-1]
        assert latest.minor == 0 and "appraisal" in latest.diff and latest.reason
    assert history.verify_chain() == []
    runner = app_ctx.test_cli_runner()
    assert runner.invoke(args=["history", "verify"]).exit_code == 0

    counts = (
        db.session.scalar(select(func.count()).select_from(Appraisal)),
        db.session.scalar(select(func.count()).select_from(PilotVersion)),
    )
    assert load_demo().appraisals == 0
    assert counts == (
        db.session.scalar(select(func.count()).select_from(Appraisal)),
        db.session.scalar(select(func.count()).select_from(PilotVersion)),
    )
