"""Versions of a pilot's frozen fields: made at registration and at each amendment, never
edited or deleted, and chained by hashes so that any later change to a stored row shows."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, select

from app.auth.models import User
from app.common.conflicts import lock_row
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots import contributions
from app.pilots.events import record_event
from app.pilots.measures import MEASURE_FIELDS
from app.pilots.models import Pilot, PilotVersion, SuccessMeasure

# Changing any of these makes a major version; anything else a minor one. The appraisal (its
# hash, frozen by app.appraisal through the snapshot extension point) is the business case the
# pilot was decided on: changing it, or adding one after registration, is major.
MAJOR_FIELDS = ("planned_end_date", "measures", "appraisal")
FIELD_LABELS = {
    "hypothesis": "Hypothesis",
    "planned_end_date": "Planned end date",
    "evaluation_design": "Evaluation design",
    "verdict": "Verdict",
    "measures": "Primary success measures",
    "appraisal": "Appraisal (content hash)",
}


class VersionChangeError(RuntimeError):
    """Versions are append-only."""


@event.listens_for(PilotVersion, "before_update")
def _refuse_update(*_: Any) -> None:
    raise VersionChangeError("A pilot version is never edited; make an amendment instead")


@event.listens_for(PilotVersion, "before_delete")
def _refuse_delete(*_: Any) -> None:
    raise VersionChangeError("A pilot version is never deleted")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def frozen_measures(pilot_id: int) -> list[SuccessMeasure]:
    """The pre-registered primary measures, in the order they were added."""
    return list(
        db.session.scalars(
            select(SuccessMeasure)
            .where(
                SuccessMeasure.pilot_id == pilot_id,
                SuccessMeasure.kind == "primary",
                SuccessMeasure.post_hoc.is_(False),
            )
            .order_by(SuccessMeasure.id)
        )
    )


def snapshot_of(pilot: Pilot) -> dict[str, Any]:
    """The frozen fields as plain JSON values, with what higher domains freeze alongside them
    (app.pilots.contributions)."""
    return {
        "hypothesis": pilot.hypothesis,
        "planned_end_date": _plain(pilot.planned_end_date),
        "evaluation_design": pilot.evaluation_design,
        "verdict": pilot.verdict,
        "measures": [
            {"id": m.id, **{f: _plain(getattr(m, f)) for f in MEASURE_FIELDS}}
            for m in frozen_measures(pilot.id)
        ],
        **contributions.contributed_snapshot(pilot),
    }


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def version_hash(version: PilotVersion, prev_hash: str | None) -> str:
    """sha256 over everything the version says, and the previous version's hash."""
    content = {
        "pilot_id": version.pilot_id,
        "number": [version.major, version.minor],
        "snapshot": version.snapshot,
        "diff": version.diff,
        "reason": version.reason,
        "author_id": version.author_id,
        "created_at": version.created_at.isoformat(timespec="seconds"),
    }
    return hashlib.sha256(_canonical(content) + (prev_hash or "").encode()).hexdigest()


def versions_of(pilot: Pilot) -> list[PilotVersion]:
    return list(
        db.session.scalars(
            select(PilotVersion)
            .where(PilotVersion.pilot_id == pilot.id)
            .order_by(PilotVersion.major, PilotVersion.minor)
        )
    )


def amendment_count(pilot: Pilot) -> int:
    return max(len(versions_of(pilot)) - 1, 0)


def registered_version(pilot: Pilot) -> PilotVersion | None:
    versions = versions_of(pilot)
    return versions[0] if versions else None


def diff_snapshots(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Field → {"from", "to"} for every frozen field that differs."""
    return {
        key: {"from": before.get(key), "to": after.get(key)}
        for key in FIELD_LABELS
        if before.get(key) != after.get(key)
    }


def add_version(
    pilot: Pilot,
    author: User | None,
    reason: str,
    diff: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> PilotVersion:
    """Append a version with the pilot's current frozen fields, in the caller's transaction;
    `at` (demo content only) backdates it."""
    db.session.flush()
    previous = versions_of(pilot)
    last = previous[-1] if previous else None
    if last is None:
        major, minor = 1, 0
    elif any(key in MAJOR_FIELDS for key in diff or {}):
        major, minor = last.major + 1, 0
    else:
        major, minor = last.major, last.minor + 1
    version = PilotVersion(
        pilot_id=pilot.id,
        major=major,
        minor=minor,
        snapshot=snapshot_of(pilot),
        diff=diff or {},
        reason=reason,
        author_id=author.id if author else None,
        created_at=(at or utcnow()).replace(microsecond=0),
        prev_hash=last.content_hash if last else None,
    )
    version.content_hash = version_hash(version, version.prev_hash)
    db.session.add(version)
    return version


@dataclass
class ChainBreak:
    slug: str
    number: str
    problem: str

    def __str__(self) -> str:
        return f"pilot {self.slug} version {self.number}: {self.problem}"


def verify_chain() -> list[ChainBreak]:
    """The first broken version of each pilot whose chain does not check out."""
    breaks = []
    pilots = db.session.scalars(
        select(Pilot).where(Pilot.id.in_(select(PilotVersion.pilot_id))).order_by(Pilot.slug)
    )
    for pilot in pilots:
        prev: str | None = None
        for version in versions_of(pilot):
            problem = None
            if version.prev_hash != prev:
                problem = "its link to the previous version is broken"
            elif version_hash(version, prev) != version.content_hash:
                problem = "its content does not match its hash"
            if problem:
                breaks.append(ChainBreak(pilot.slug, version.number, problem))
                break
            prev = version.content_hash
        else:
            drift = _drift_from_latest(pilot)
            if drift:
                breaks.append(ChainBreak(pilot.slug, drift[0], drift[1]))
    return breaks


def _comparable(value: Any) -> Any:
    """Numbers as written in a snapshot ("1.10") and as read back ("1.1000") compare equal."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value):
        return Decimal(value).normalize()
    return value


def _drift_from_latest(pilot: Pilot) -> tuple[str, str] | None:
    """The pilot's frozen fields must read as its newest version says; a change made outside an
    amendment (say, straight in the database) shows up here. A verdict set by concluding is
    checked only once an amendment has fixed it in a version."""
    latest = versions_of(pilot)[-1]
    current, recorded = snapshot_of(pilot), dict(latest.snapshot)
    if recorded.get("verdict") is None:
        current.pop("verdict", None)
        recorded.pop("verdict", None)
    changed = sorted(
        k
        for k in current.keys() | recorded.keys()
        if _comparable(current.get(k)) != _comparable(recorded.get(k))
    )
    if not changed:
        return None
    return (
        latest.number,
        f"the pilot's {', '.join(changed)} no longer match it (changed outside an amendment)",
    )


class AmendmentError(ValueError):
    """The amendment cannot be made; the message says what to fix."""


@dataclass
class AmendmentData:
    reason: str
    hypothesis: str
    planned_end_date: date | None
    evaluation_design: int | None
    verdict: str | None
    # measure id → (target, disproved-if)
    thresholds: dict[int, tuple[Decimal, Decimal]]


def check_amendable(pilot: Pilot) -> None:
    """Refuse to amend a draft: nothing is frozen until registration, so it is edited instead."""
    if pilot.status == "draft":
        raise AmendmentError("A draft is not frozen yet: edit it instead")


def amend_pilot(
    pilot: Pilot, data: AmendmentData, author: User | None, at: datetime | None = None
) -> PilotVersion:
    """Change frozen fields in the open: a new version with the difference and the reason, and
    an 'amended' event. Major for measures, thresholds and dates; minor otherwise."""
    lock_row(pilot)
    check_amendable(pilot)
    if pilot.status in ("stopped", "withdrawn"):
        raise AmendmentError(f"A {pilot.status} pilot is a closed record and cannot be amended")
    if data.planned_end_date is None:
        raise AmendmentError("A registered pilot keeps a planned end date")
    if pilot.start_date and data.planned_end_date < pilot.start_date:
        raise AmendmentError("The planned end date must be on or after the start date")
    if data.evaluation_design is None:
        raise AmendmentError("A registered pilot keeps its evaluation design")
    if not data.reason.strip():
        raise AmendmentError("Give the reason for the amendment")
    if not data.hypothesis.strip():
        raise AmendmentError("The hypothesis cannot be empty")
    if pilot.status == "concluded" and data.verdict is None:
        raise AmendmentError("A concluded pilot keeps a verdict")
    before = snapshot_of(pilot)
    pilot.hypothesis = data.hypothesis.strip()
    pilot.planned_end_date = data.planned_end_date
    pilot.evaluation_design = data.evaluation_design
    if pilot.status == "concluded":
        pilot.verdict = data.verdict
    for measure in frozen_measures(pilot.id):
        if measure.id in data.thresholds:
            measure.target, measure.disproved_if = data.thresholds[measure.id]
            if (measure.direction == "higher") != (measure.disproved_if < measure.target):
                db.session.rollback()
                raise AmendmentError(
                    f"{measure.name}: the disproved-if value must be on the failing side of the "
                    "target"
                )
    db.session.flush()
    after = snapshot_of(pilot)
    diff = diff_snapshots(before, after)
    if not diff:
        db.session.rollback()
        raise AmendmentError("Nothing was changed: change at least one frozen field")
    version = add_version(pilot, author, data.reason.strip(), diff, at)
    pilot.updated_at, pilot.updated_by = utcnow(), author
    record_event(
        pilot,
        "amended",
        author,
        f"Amended to version {version.number}: {pilot.title}",
        version=version.number,
        fields=sorted(diff),
        reason=data.reason.strip(),
    )
    db.session.commit()
    return version


MEASURE_LABELS = {name: name.replace("_", " ") for name in MEASURE_FIELDS} | {
    "method": "what is measured and how"
}


def _text(key: str, value: Any) -> str:
    if value is None or value == "":
        return "Not given"
    if key == "evaluation_design":
        return f"Level {value} of 5"
    if key == "planned_end_date":
        return date.fromisoformat(value).strftime("%-d %B %Y")
    if key == "appraisal":
        return f"version {value[:12]}"  # a content hash: its start tells two versions apart
    return str(value)


def describe_diff(diff: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Rows of (what changed, from, to), with measures compared field by field."""
    rows = []
    for key, change in diff.items():
        if key != "measures":
            rows.append(
                (FIELD_LABELS.get(key, key), _text(key, change["from"]), _text(key, change["to"]))
            )
            continue
        before = {m["id"]: m for m in change["from"] or []}
        after = {m["id"]: m for m in change["to"] or []}
        for measure_id in list(dict.fromkeys([*before, *after])):
            old, new = before.get(measure_id, {}), after.get(measure_id, {})
            name = new.get("name") or old.get("name") or "measure"
            for field_name, label in MEASURE_LABELS.items():
                if old.get(field_name) != new.get(field_name):
                    rows.append(
                        (
                            f"{name}: {label}",
                            _text(field_name, old.get(field_name)),
                            _text(field_name, new.get(field_name)),
                        )
                    )
    return rows
