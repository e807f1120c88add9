"""A round's lifecycle: draft → open → scoring → closed → decided, with an optional second
(Delphi) scoring closed → rescoring → closed.

Opening freezes the configuration with its SHA-256 and publishes the round's ideas; closing
publishes the result (and the declarations). Each step is one transaction, audited; each but the
first changes public pages, so it empties the page cache by the content generation.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.audit import record_audit
from app.auth.models import User
from app.choosing.config import config_hash, frozen_config
from app.choosing.errors import ChoosingError
from app.choosing.ideas import publish_ideas
from app.choosing.models import Panelist, Round, RoundIdea, Score
from app.choosing.scoresheet import ScoreSheetError
from app.choosing.scoring import all_scores, score_sheet
from app.common.conflicts import lock_row
from app.common.db_types import utcnow
from app.extensions import db

# The step a council admin may take from each state: (to, the audit action).
STEPS = {
    "open": ("draft", "opened"),
    "scoring": ("open", "scoring-started"),
    "closed": (("scoring", "rescoring"), "closed"),
    "rescoring": ("closed", "rescoring-started"),
}


def get_round(round_id: int) -> Round | None:
    return db.session.scalar(
        select(Round)
        .where(Round.id == round_id)
        .options(
            selectinload(Round.idea_links).selectinload(RoundIdea.idea),
            selectinload(Round.criteria),
            selectinload(Round.panel).selectinload(Panelist.user),
            selectinload(Round.amendments),
        )
    )


def _check_step(round_: Round, to: str) -> None:
    if to not in STEPS:
        raise ChoosingError("There is no such step for a round")
    before = STEPS[to][0]
    allowed = before if isinstance(before, tuple) else (before,)
    if round_.status not in allowed:
        raise ChoosingError(f"A round that is {round_.status} cannot be moved to {to}")
    if to == "open" and (len(round_.idea_links) < 2 or not round_.criteria or not round_.panel):
        raise ChoosingError("Set the round up first: at least two ideas, criteria and a panel")
    if to == "rescoring" and round_.scoring != 1:
        raise ChoosingError("The round has had its second scoring already")
    if to == "closed":
        try:
            score_sheet(round_, round_.scoring)
        except ScoreSheetError:
            raise ChoosingError(
                "No panel member has scored every idea on every criterion yet: the round "
                "cannot close without one"
            ) from None


def carry_first_scores(round_: Round) -> None:
    """Start each scorer's second scoring from their first: one who sees no reason to change
    keeps their scores, and is still counted."""
    for score in all_scores(round_, 1):
        db.session.add(
            Score(round_id=round_.id, scoring=2, user_id=score.user_id, idea_id=score.idea_id,
                  criterion_id=score.criterion_id, value=score.value, reason=score.reason)
        )  # fmt: skip


def move_round(round_: Round, to: str, actor: User | None) -> Round:
    """Take the round one step on (to `open`, `scoring`, `closed` or `rescoring`). Raises
    ChoosingError, changing nothing, if it cannot take that step from where it is."""
    lock_row(round_)
    _check_step(round_, to)
    now = utcnow()
    if to == "open":
        round_.config = frozen_config(round_)
        round_.config_hash = config_hash(round_.config)
        round_.opened_at = now
        publish_ideas(round_.ideas)
    elif to == "scoring":
        round_.scoring_at = now
    elif to == "closed":
        round_.closed_at = now
    elif to == "rescoring":
        round_.scoring = 2
        carry_first_scores(round_)
    round_.status = to
    round_.updated_at = now
    detail = {"config_hash": round_.config_hash} if to == "open" else {}
    record_audit(actor, STEPS[to][1], "round", round_.id, round_.title, round_.council_id, **detail)
    db.session.commit()
    return round_
