"""Everything the pilot page shows of a pilot's record: measures, versions, outcome, updates,
replications and the state of its outcome report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.pilots import history, lifecycle, overdue, replications, results, updates
from app.pilots.measures import measures_of
from app.pilots.models import OutcomeReport, Pilot, PilotVersion, ProgressUpdate, SuccessMeasure
from app.pilots.replications import EvidenceSummary

EVIDENCE_LEVELS = {
    1: "Before and after, with no comparison",
    2: "With a comparison or controls",
    3: "Comparison group with a justified counterfactual",
    4: "Quasi-random assignment",
    5: "Randomised",
}


@dataclass
class MeasureRow:
    measure: SuccessMeasure
    met: bool
    crossed: bool


@dataclass
class PilotRecord:
    measures: list[MeasureRow]
    amendments: int
    registered: PilotVersion | None
    outcome: OutcomeReport | None
    updates: list[ProgressUpdate]
    replications: list[Pilot]
    evidence: EvidenceSummary | None
    report: overdue.ReportState | None
    overdue_days: int | None
    status_unknown: bool
    actions: list[str]

    @property
    def registered_hypothesis(self) -> str | None:
        return self.registered.snapshot.get("hypothesis") if self.registered else None


def pilot_record(pilot: Pilot, today: date) -> PilotRecord:
    """What the pilot's page needs beyond the pilot itself, as of `today`."""
    versions = history.versions_of(pilot)
    found = replications.replications_of(pilot)
    report = overdue.report_state(pilot)
    rows = [
        MeasureRow(
            m, results.met_target(m, m.result_value), results.crossed_threshold(m, m.result_value)
        )
        for m in measures_of(pilot)
    ]
    return PilotRecord(
        measures=rows,
        amendments=max(len(versions) - 1, 0),
        registered=versions[0] if versions else None,
        outcome=results.outcome_of(pilot),
        updates=updates.updates_of(pilot),
        replications=found,
        evidence=replications.evidence_summary(pilot, found) if found else None,
        report=report,
        overdue_days=report.days_overdue(today) if report and report.is_overdue(today) else None,
        status_unknown=overdue.status_unknown(pilot, today),
        actions=lifecycle.allowed_actions(pilot),
    )
