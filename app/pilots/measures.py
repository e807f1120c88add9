"""Success measures: how each pilot will be judged, set before it runs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.auth.audit import record_audit
from app.auth.models import User
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots.models import Pilot, SuccessMeasure

# What a measure says, as a version snapshots it; its kind (primary or secondary) is not in a
# snapshot, which holds primary measures only.
MEASURE_FIELDS = (
    "name",
    "method",
    "unit",
    "baseline",
    "target",
    "disproved_if",
    "direction",
    "time_frame",
)


class MeasureError(ValueError):
    """The measure cannot be changed this way; the message says why, and `field` names the form
    field to fix when one is to blame."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class MeasureData:
    name: str
    method: str
    unit: str
    baseline: Decimal | None
    target: Decimal
    disproved_if: Decimal
    direction: str
    time_frame: str
    kind: str


def check_measure(data: MeasureData) -> dict[str, str]:
    """The disproved-if threshold must lie on the failing side of the target."""
    if data.direction == "higher" and data.disproved_if >= data.target:
        return {
            "disproved_if": "When higher is better, the disproved-if value must be below the target"
        }
    if data.direction == "lower" and data.disproved_if <= data.target:
        return {
            "disproved_if": "When lower is better, the disproved-if value must be above the target"
        }
    return {}


def measures_of(pilot: Pilot) -> list[SuccessMeasure]:
    """Primary measures first, then secondary; pre-registered before post-hoc."""
    measures = db.session.scalars(
        select(SuccessMeasure)
        .where(SuccessMeasure.pilot_id == pilot.id)
        .order_by(SuccessMeasure.id)
    )
    return sorted(measures, key=lambda m: (m.kind != "primary", m.post_hoc, m.id))


def measure_of(pilot: Pilot, measure_id: int) -> SuccessMeasure | None:
    measure = db.session.get(SuccessMeasure, measure_id)
    return measure if measure is not None and measure.pilot_id == pilot.id else None


def has_primary_measure(pilot: Pilot) -> bool:
    return any(m.kind == "primary" and not m.post_hoc for m in measures_of(pilot))


def _apply(measure: SuccessMeasure, data: MeasureData) -> None:
    for name in (*MEASURE_FIELDS, "kind"):
        setattr(measure, name, getattr(data, name))


def save_measure(
    pilot: Pilot, existing: SuccessMeasure | None, data: MeasureData, author: User | None
) -> SuccessMeasure:
    """Add a measure to the pilot (no `existing`) or change one, once its disproved-if threshold
    lies on the failing side of its target."""
    for name, message in check_measure(data).items():
        raise MeasureError(message, field=name)
    if existing is None:
        return add_measure(pilot, data, author)
    update_measure(existing, data, author)
    return existing


def add_measure(pilot: Pilot, data: MeasureData, author: User | None) -> SuccessMeasure:
    """Add a measure; one added after registration is marked post-hoc, whatever its type."""
    if pilot.status in ("concluded", "stopped", "withdrawn"):
        raise MeasureError(f"This pilot is {pilot.status}; its measures can no longer change")
    measure = SuccessMeasure(pilot_id=pilot.id, post_hoc=pilot.status != "draft")
    _apply(measure, data)
    db.session.add(measure)
    pilot.updated_at, pilot.updated_by = utcnow(), author
    record_audit(
        author, "added-measure", "pilot", pilot.slug, f"{pilot.title}: {measure.name}",
        pilot.lead_council_id, measure=measure.name, post_hoc=measure.post_hoc,
    )  # fmt: skip
    db.session.commit()
    return measure


def update_measure(measure: SuccessMeasure, data: MeasureData, author: User | None) -> None:
    """Change a measure while its pilot is a draft, or a post-hoc one that is not yet reported."""
    pilot = measure.pilot
    if pilot.status != "draft" and not measure.post_hoc:
        raise MeasureError("This measure is frozen; change its target or threshold by an amendment")
    if pilot.status in ("concluded", "stopped", "withdrawn"):
        raise MeasureError(f"This pilot is {pilot.status}; its measures can no longer change")
    _apply(measure, data)
    pilot.updated_at, pilot.updated_by = utcnow(), author
    db.session.commit()


def delete_measure(measure: SuccessMeasure, author: User | None) -> None:
    """Remove a measure from a draft; registered measures stay on the record."""
    pilot = measure.pilot
    if pilot.status != "draft":
        raise MeasureError("Measures cannot be removed once the pilot is registered")
    db.session.delete(measure)
    pilot.updated_at, pilot.updated_by = utcnow(), author
    db.session.commit()
