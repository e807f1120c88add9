"""Saving and finding appraisals: checked, simulated and hashed once, when saved."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import Numeric, select

from app.appraisal.document import content_hash
from app.appraisal.models import Appraisal
from app.appraisal.reference import Reference, reference
from app.appraisal.results import appraisal_results
from app.appraisal.simulation import ITERATIONS
from app.appraisal.validation import AppraisalError, check_appraisal
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots.models import Pilot


def registry_reference() -> Reference:
    """The reference figures in this app's content directory."""
    return reference(current_app.config["CONTENT_DIR"] if has_app_context() else None)


def appraisal_of(pilot: Pilot) -> Appraisal | None:
    return db.session.scalar(select(Appraisal).where(Appraisal.pilot_id == pilot.id))


def appraisal_hash(pilot: Pilot) -> str | None:
    """The content hash of the pilot's appraisal, or None when it has none: what the pilot's
    frozen record holds of it."""
    return db.session.scalar(select(Appraisal.content_hash).where(Appraisal.pilot_id == pilot.id))


def save_appraisal(pilot: Pilot, appraisal: Appraisal) -> Appraisal:
    """Check the appraisal as entered (a new, unsaved `Appraisal` with its options and lines),
    run its simulation, and store it with its results and content hash as the pilot's
    appraisal, replacing any earlier one, in one transaction. Raises AppraisalError, naming each
    field to fix, and saves nothing, when anything is wrong. A seed is drawn when none is given."""
    try:
        store_appraisal(pilot, appraisal)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return appraisal


def store_appraisal(pilot: Pilot, appraisal: Appraisal) -> Appraisal:
    """`save_appraisal` within the caller's transaction: checked, simulated, hashed and put in
    place of the pilot's earlier appraisal, not committed."""
    _store(appraisal, appraisal_of(pilot))
    appraisal.pilot_id = pilot.id
    db.session.add(appraisal)
    db.session.flush()
    return appraisal


def idea_appraisal(idea_id: int) -> Appraisal | None:
    """The appraisal written for an idea not yet a pilot, or None."""
    return db.session.scalar(select(Appraisal).where(Appraisal.idea_id == idea_id))


def save_idea_appraisal(idea_id: int, appraisal: Appraisal) -> Appraisal:
    """As `save_appraisal`, for an idea (by id: ideas belong to a domain above this one): checked,
    simulated, hashed and stored in place of the idea's earlier appraisal, in one transaction.
    Raises AppraisalError and saves nothing when anything is wrong."""
    try:
        _store(appraisal, idea_appraisal(idea_id))
        appraisal.idea_id = idea_id
        db.session.add(appraisal)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return appraisal


def move_idea_appraisal(idea_id: int, pilot: Pilot) -> Appraisal | None:
    """Within the caller's transaction: the idea's appraisal becomes the pilot's (the idea was
    chosen and is now this draft pilot). Its figures, seed and hash are kept as they are."""
    appraisal = idea_appraisal(idea_id)
    if appraisal is None:
        return None
    appraisal.idea_id = None
    appraisal.pilot_id = pilot.id
    db.session.flush()
    return appraisal


def _store(appraisal: Appraisal, earlier: Appraisal | None) -> None:
    figures = registry_reference()
    errors = check_appraisal(appraisal, figures)
    if errors:
        raise AppraisalError(errors)
    if appraisal.seed is None and earlier is not None:
        # The same futures as before: a changed figure then moves the results by its own
        # effect, not by a new draw, and an unchanged appraisal saved again is the same.
        appraisal.seed, appraisal.iterations = earlier.seed, earlier.iterations
    _complete(appraisal, figures)
    appraisal.results = appraisal_results(appraisal, figures)
    appraisal.content_hash = content_hash(appraisal)
    if earlier is not None:
        _keep_outturn(earlier, appraisal)
        appraisal.created_at = earlier.created_at
        db.session.delete(earlier)
        db.session.flush()
    appraisal.updated_at = utcnow()


def _keep_outturn(earlier: Appraisal, appraisal: Appraisal) -> None:
    """A recorded outturn stays with its line (same option kind, same name) when the appraisal
    is saved again: it is what was spent or measured, whatever the forecast now says."""
    recorded = {
        (option.kind, kind, line.name): line.outturn_pence
        for option in earlier.options
        for kind, lines in (("cost", option.costs), ("benefit", option.benefits))
        for line in lines
        if line.outturn_pence is not None
    }
    for option in appraisal.options:
        for kind, lines in (("cost", option.costs), ("benefit", option.benefits)):
            for line in lines:
                line.outturn_pence = recorded.get((option.kind, kind, line.name))


def _complete(appraisal: Appraisal, figures: Reference) -> None:
    """Fill in what was left to its default, in the form it will be read back in, so that the
    content hash of the appraisal saved is the hash of the appraisal loaded."""
    if appraisal.seed is None:
        appraisal.seed = secrets.randbelow(2**62)
    appraisal.iterations = appraisal.iterations or ITERATIONS
    appraisal.discount_edition = appraisal.discount_edition or figures.default_edition
    _defaults(appraisal)
    for position, option in enumerate(appraisal.options):
        option.position = position
        option.process_years = sorted(option.process_years or [])
        _defaults(option)
        lines: list[list[Any]] = [option.costs, option.benefits, option.steps]
        for rows in lines:
            for line_position, line in enumerate(rows):
                line.position = line_position
                if hasattr(line, "years"):
                    line.years = sorted(line.years)
                _defaults(line)


def _defaults(row: Any) -> None:
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        if value is None and column.default is not None and column.default.is_scalar:
            value = column.default.arg
            setattr(row, column.key, value)
        if value is not None and isinstance(column.type, Numeric):
            # As the column will give it back: 2.5 minutes is read back as 2.50.
            exponent = Decimal(1).scaleb(-(column.type.scale or 0))
            setattr(row, column.key, Decimal(str(value)).quantize(exponent))
