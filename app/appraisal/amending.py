"""Writing a pilot's appraisal as its council does: freely while the pilot is a draft, and after
registration only as an amendment with a reason.

A pilot's frozen record holds its appraisal's content hash (the snapshot contributor in
`app.appraisal.init_app`), so the registration version freezes the appraisal with the rest. A
changed appraisal afterwards is a new major version of the pilot, with the old and new hashes
and the reason, in the same transaction as the appraisal itself: `flask history verify` then
finds the appraisal as its newest version says. A pilot registered before it had an appraisal
gains one the same way (its hash goes from none to the new one).
"""

from __future__ import annotations

from datetime import datetime

from app.appraisal.models import Appraisal
from app.appraisal.service import appraisal_hash, store_appraisal
from app.appraisal.validation import AppraisalError
from app.auth.models import User
from app.common.conflicts import lock_row
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots.events import record_event
from app.pilots.history import add_version
from app.pilots.models import Pilot

CLOSED = ("stopped", "withdrawn")


def needs_reason(pilot: Pilot) -> bool:
    """Whether a change to this pilot's appraisal is an amendment (it is frozen)."""
    return pilot.status != "draft"


def check_writable(pilot: Pilot) -> None:
    """A stopped or withdrawn pilot is a closed record: its appraisal stays as it was."""
    if pilot.status in CLOSED:
        raise AppraisalError(
            {"reason": f"A {pilot.status} pilot is a closed record: its appraisal cannot change"}
        )


def write_appraisal(
    pilot: Pilot,
    appraisal: Appraisal,
    author: User | None,
    reason: str = "",
    at: datetime | None = None,
) -> Appraisal:
    """Save the pilot's appraisal as entered (see `service.save_appraisal`) in one transaction.
    A draft's is simply replaced; a registered pilot's change is a major amendment: a new
    version of the pilot with the old and new appraisal hashes and the reason, and an
    'amended' event. Raises AppraisalError (field → how to fix it) and saves nothing when the
    appraisal is wrong, the reason is missing, or nothing changed. `at` (demo only) backdates."""
    reason = (reason or "").strip()
    try:
        lock_row(pilot)
        check_writable(pilot)
        if needs_reason(pilot) and not reason:
            raise AppraisalError(
                {"reason": "The pilot is registered: give the reason for changing its appraisal"}
            )
        before = appraisal_hash(pilot)
        store_appraisal(pilot, appraisal)
        if needs_reason(pilot):
            if appraisal.content_hash == before:
                raise AppraisalError({"reason": "Nothing was changed: the appraisal is as it was"})
            diff = {"appraisal": {"from": before, "to": appraisal.content_hash}}
            version = add_version(pilot, author, reason, diff, at)
            pilot.updated_at, pilot.updated_by = at or utcnow(), author
            record_event(
                pilot,
                "amended",
                author,
                f"Amended to version {version.number}: {pilot.title}",
                version=version.number,
                fields=["appraisal"],
                reason=reason,
            )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return appraisal
