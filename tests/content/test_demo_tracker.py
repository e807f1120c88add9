from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.content.demo import load_demo
from app.extensions import db
from app.pilots import history
from app.pilots.models import (
    OutcomeReport,
    Pilot,
    PilotEvent,
    PilotVersion,
    ProgressUpdate,
    SuccessMeasure,
)
from app.pilots.replications import replications_of
from app.pilots.report_queries import overdue_pilots


def table_counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (PilotVersion, SuccessMeasure, OutcomeReport, ProgressUpdate, PilotEvent)
    }


def test_demo_shows_the_tracker_and_loads_twice_without_change(app_ctx):
    load_demo()
    pilot = db.session.scalar(
        select(Pilot).where(Pilot.slug == "kec-parking-permit-renewal-options")
    )
    # 3.0: the options appraisal it gained (content/demo/appraisals.json)
    assert [v.number for v in history.versions_of(pilot)] == ["1.0", "1.1", "2.0", "3.0"]
    overridden = db.session.scalar(
        select(OutcomeReport).where(OutcomeReport.proposed_verdict != OutcomeReport.verdict)
    )
    assert overridden is not None and overridden.justification
    verdicts = set(db.session.scalars(select(OutcomeReport.verdict)))
    assert verdicts == {"proved", "disproved", "inconclusive"}
    assert db.session.scalar(select(SuccessMeasure).where(SuccessMeasure.post_hoc)) is not None
    assert [s.pilot.slug for s, _ in overdue_pilots(date(2026, 11, 28))] == [
        "cmd-estate-repairs-webchat"
    ]
    lambourn = db.session.scalar(select(Pilot).where(Pilot.slug == "wbk-lambourn-digital-champion"))
    chain = {p.slug for p in replications_of(lambourn)}
    assert "gwn-llyn-village-hall-help-sessions" in chain  # a replication of a replication
    assert history.verify_chain() == []

    counts = table_counts()
    stamps = dict(db.session.execute(select(Pilot.slug, Pilot.updated_at)).all())
    designs = dict(db.session.execute(select(Pilot.slug, Pilot.evaluation_design)).all())
    second = load_demo()
    assert second.tracker_pilots == 0
    assert table_counts() == counts
    assert dict(db.session.execute(select(Pilot.slug, Pilot.updated_at)).all()) == stamps
    assert dict(db.session.execute(select(Pilot.slug, Pilot.evaluation_design)).all()) == designs
