"""The tracker's demo content (content/demo/tracker.json): measures, registration dates,
amendments, outcome reports, progress updates, extensions and replications for the demo pilots.

Each part is added only if the pilot has none yet, so loading twice changes nothing. Versions
and amendments go through the real services, so `flask history verify` checks them too."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.auth.service import DEV_ISSUER
from app.common.db_types import utcnow
from app.common.importing import ImportFailed
from app.councils.service import council_by_code
from app.extensions import db
from app.pilots import history, measures, results, updates
from app.pilots.events import record_event
from app.pilots.models import (
    OutcomeReport,
    Pilot,
    PilotEvent,
    ProgressUpdate,
    ReportExtension,
    SuccessMeasure,
)
from app.pilots.service import pilot_by_slug

MEASURE_KEYS = ("name", "method", "unit", "direction", "time_frame", "kind")


def _user(subject: str | None) -> User | None:
    if not subject:
        return None
    return db.session.scalar(select(User).where(User.issuer == DEV_ISSUER, User.subject == subject))


def _at(day: str | date) -> datetime:
    return datetime.combine(date.fromisoformat(str(day)), time(9, 0), tzinfo=UTC)


def _decimal(raw: Any) -> Decimal | None:
    return None if raw in (None, "") else Decimal(str(raw))


def _measure(pilot: Pilot, spec: dict[str, Any]) -> SuccessMeasure:
    measure = SuccessMeasure(
        pilot_id=pilot.id,
        baseline=_decimal(spec.get("baseline")),
        target=_decimal(spec["target"]),
        disproved_if=_decimal(spec["disproved_if"]),
        post_hoc=bool(spec.get("post_hoc")),
        **{key: spec.get(key, "") for key in MEASURE_KEYS},
    )
    db.session.add(measure)
    return measure


def _register(pilot: Pilot, spec: dict[str, Any]) -> None:
    """Measures as registered, version 1.0, then each amendment in turn."""
    final = {"hypothesis": pilot.hypothesis, "planned_end_date": pilot.planned_end_date}
    status, verdict = pilot.status, pilot.verdict
    registered = spec.get("registered", {})
    specs = spec.get("measures", [])
    by_name = {m["name"]: _measure(pilot, m) for m in specs if not m.get("post_hoc")}
    pilot.hypothesis = registered.get("hypothesis", pilot.hypothesis)
    if "planned_end_date" in registered:
        pilot.planned_end_date = date.fromisoformat(registered["planned_end_date"])
    pilot.evaluation_design = registered.get("evaluation_design", spec.get("evaluation_design"))
    if status == "draft" or not by_name:
        db.session.commit()
        return
    at = _at(spec.get("registered_on") or pilot.start_date or utcnow().date())
    pilot.registered_at = at
    pilot.verdict = None  # nothing was concluded when it was registered
    author = _user(spec.get("registered_by"))
    history.add_version(pilot, author, "Registered", at=at)
    timing = (
        "prospective" if pilot.start_date and at.date() <= pilot.start_date else "retrospective"
    )
    record_event(pilot, "registered", author, f"Registered: {pilot.title}", timing=timing).at = at
    for m in specs:
        if m.get("post_hoc"):
            _measure(pilot, m)
    pilot.status = "registered"  # amendments below happened while it was under way
    db.session.commit()
    for n, amendment in enumerate(spec.get("amendments", []), start=1):
        values = amendment["set"]
        thresholds = {
            by_name[name].id: (Decimal(v["target"]), Decimal(v["disproved_if"]))
            for name, v in values.get("measures", {}).items()
        }
        end = values.get("planned_end_date")
        when = _at(amendment["on"]) if "on" in amendment else at + timedelta(days=30 * n)
        history.amend_pilot(
            pilot,
            history.AmendmentData(
                reason=amendment["reason"],
                hypothesis=values.get("hypothesis", pilot.hypothesis),
                planned_end_date=date.fromisoformat(end) if end else pilot.planned_end_date,
                evaluation_design=values.get("evaluation_design", pilot.evaluation_design),
                verdict=None,
                thresholds=thresholds,
            ),
            _user(amendment.get("by")),
            at=when,
        )
        _backdate_last_event(pilot, "amended", when)
    pilot.status, pilot.verdict = status, verdict
    if (
        pilot.hypothesis != final["hypothesis"]
        or pilot.planned_end_date != final["planned_end_date"]
    ):
        db.session.rollback()
        raise ImportFailed(
            [], f"tracker.json: after its amendments {pilot.slug} does not match pilots.csv"
        )
    db.session.commit()


def _report(pilot: Pilot, spec: dict[str, Any]) -> None:
    values = []
    by_name = {m.name: m for m in measures.measures_of(pilot)}
    for m_spec in spec.get("measures", []):
        found = by_name[m_spec["name"]]
        result = m_spec.get("result") or {}
        found.result_value = _decimal(result.get("value"))
        found.result_date = date.fromisoformat(result["date"]) if result.get("date") else None
        found.evidence_url = result.get("evidence_url", "")
        found.evidence_description = result.get("evidence_description", "")
        values.append((found, found.result_value))
    outcome = spec["outcome"]
    proposed = results.propose_verdict(values)
    if proposed != pilot.verdict and not outcome.get("justification"):
        raise ImportFailed(
            [],
            f"tracker.json: {pilot.slug} overrides the proposed {proposed} with no justification",
        )
    record_event(
        pilot,
        "concluded",
        _user(outcome.get("by")),
        f"Concluded, {pilot.verdict}: {pilot.title}",
        verdict=pilot.verdict,
        proposed_verdict=proposed,
    ).at = _at(outcome["reported_on"])
    db.session.add(
        OutcomeReport(
            pilot_id=pilot.id,
            narrative=outcome["narrative"],
            advice=outcome.get("advice", ""),
            proposed_verdict=proposed,
            verdict=pilot.verdict,
            justification=outcome.get("justification", "") if proposed != pilot.verdict else "",
            reported_on=date.fromisoformat(outcome["reported_on"]),
            author=_user(outcome.get("by")),
            created_at=_at(outcome["reported_on"]),
        )
    )
    db.session.commit()


def _updates(pilot: Pilot, spec: dict[str, Any]) -> None:
    for item in spec.get("updates", []):
        council = council_by_code(item["council"])
        if council is None:
            raise ImportFailed([], f"tracker.json: no council {item['council']}")
        db.session.add(
            ProgressUpdate(
                pilot_id=pilot.id,
                council_id=council.id,
                author=_user(item.get("by")),
                on=date.fromisoformat(item["on"]),
                text=item["text"],
                created_at=_at(item["on"]),
            )
        )
    db.session.commit()


def _extension(pilot: Pilot, spec: dict[str, Any]) -> None:
    ext = spec["extension"]
    admin = _user("demo-admin")
    db.session.add(
        ReportExtension(
            pilot_id=pilot.id,
            due_date=date.fromisoformat(ext["due_date"]),
            reason=ext["reason"],
            approved_by_id=admin.id if admin else None,
            approved_at=_at(pilot.planned_end_date or date.today()),
        )
    )
    db.session.commit()


def _check(spec_all: dict[str, Any]) -> None:
    """Every pilot, council and measure the file names exists, before anything is written."""
    problems = []
    for slug, spec in spec_all.items():
        if pilot_by_slug(slug) is None:
            problems.append(f"{slug!r} is not in pilots.csv")
        replicates = spec.get("replicates")
        if replicates and pilot_by_slug(replicates["slug"]) is None:
            problems.append(
                f"{slug}: replicates {replicates['slug']!r}, which is not in pilots.csv"
            )
        for item in spec.get("updates", []):
            if council_by_code(item["council"]) is None:
                problems.append(f"{slug}: no council {item['council']!r}")
        names = {m["name"] for m in spec.get("measures", [])}
        for amendment in spec.get("amendments", []):
            for name in amendment["set"].get("measures", {}):
                if name not in names:
                    problems.append(f"{slug}: an amendment names an unknown measure {name!r}")
    if problems:
        raise ImportFailed([], "tracker.json: " + "; ".join(problems))


def _backdate_last_event(pilot: Pilot, kind: str, at: datetime) -> None:
    event = db.session.scalar(
        select(PilotEvent)
        .where(PilotEvent.pilot_id == pilot.id, PilotEvent.kind == kind)
        .order_by(PilotEvent.sequence.desc())
        .limit(1)
    )
    if event is not None:
        event.at = at


def load_tracker_demo(path: Path) -> int:
    """Add the tracker's demo records; returns how many pilots gained any."""
    spec_all = json.loads(path.read_text(encoding="utf-8"))["pilots"]
    _check(spec_all)
    changed = 0
    for slug, spec in spec_all.items():
        pilot = pilot_by_slug(slug)
        if pilot is None:
            raise ImportFailed([], f"tracker.json names {slug!r}, which is not in pilots.csv")
        touched = False
        if not measures.measures_of(pilot):
            _register(pilot, spec)
            touched = True
        # The pilot import does not carry the evaluation design, so restore it every time.
        if pilot.evaluation_design != spec.get("evaluation_design"):
            pilot.evaluation_design = spec.get("evaluation_design")
            db.session.commit()
        if "outcome" in spec and results.outcome_of(pilot) is None:
            _report(pilot, spec)
            touched = True
        if spec.get("updates") and not updates.updates_of(pilot):
            _updates(pilot, spec)
            touched = True
        if "extension" in spec and not db.session.scalar(
            select(ReportExtension.id).where(ReportExtension.pilot_id == pilot.id)
        ):
            _extension(pilot, spec)
            touched = True
        replicates = spec.get("replicates")
        if replicates:
            earlier = pilot_by_slug(replicates["slug"])
            if earlier is None:
                raise ImportFailed([], f"tracker.json: no pilot {replicates['slug']!r}")
            if pilot.replicates_id != earlier.id or pilot.replication_kind != replicates["kind"]:
                pilot.replicates, pilot.replication_kind = earlier, replicates["kind"]
                db.session.commit()
                touched = True
        changed += touched
    return changed
