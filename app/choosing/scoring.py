"""Panel members' declarations of interest and scores, and the score sheet the result is
computed from.

While a round is scoring, each scorer sees only their own scores: nothing here returns anyone
else's, and the result (`results.py`) is computed only once the round has closed. A score and a
declaration are private writes (see `choosing.init_app`): saving one changes no public page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.auth.audit import record_audit
from app.auth.models import User
from app.choosing.access import on_panel
from app.choosing.errors import ChoosingError
from app.choosing.models import SCORING_STATUSES, Declaration, Round, Score
from app.choosing.scoresheet import (
    HIGHEST_SCORE,
    LOWEST_SCORE,
    Criterion,
    ScoreSheet,
    build_score_sheet,
)
from app.common.conflicts import lock_row
from app.common.db_types import utcnow
from app.extensions import db

REASON_LIMIT = 300
# Declarations are taken from opening until scoring ends.
DECLARING_STATUSES = ("open", *SCORING_STATUSES)
Cell = tuple[int, int]  # (idea id, criterion id)


@dataclass(frozen=True)
class EnteredScore:
    value: str  # as typed: checked here, so that the web and any other client agree
    reason: str = ""


def _panelist_check(
    round_: Round, user: User | None, statuses: tuple[str, ...], doing: str
) -> None:
    if not on_panel(user, round_):
        raise ChoosingError("You are not on this round's panel")
    if round_.status not in statuses:
        raise ChoosingError(f"The round is {round_.status}: it is not taking {doing} now")


def declare_interest(round_: Round, user: User, idea_id: int | None, text: str) -> Declaration:
    """Record a panel member's declared interest (published with the result)."""
    lock_row(round_)
    _panelist_check(round_, user, DECLARING_STATUSES, "declarations")
    if not text.strip():
        raise ChoosingError({"text": "Describe the interest you are declaring"})
    if idea_id is not None and idea_id not in {link.idea_id for link in round_.idea_links}:
        raise ChoosingError({"idea": "Choose an idea of this round, or none"})
    declaration = Declaration(
        round_id=round_.id, user_id=user.id, idea_id=idea_id, text=text.strip()
    )
    db.session.add(declaration)
    record_audit(user, "declared", "round", round_.id, round_.title, round_.council_id)
    db.session.commit()
    return declaration


def own_declarations(round_: Round, user: User | None) -> list[Declaration]:
    if user is None:
        return []
    return list(
        db.session.scalars(
            select(Declaration)
            .where(Declaration.round_id == round_.id, Declaration.user_id == user.id)
            .order_by(Declaration.id)
        )
    )


def own_scores(round_: Round, user: User | None, scoring: int) -> dict[Cell, Score]:
    """This scorer's own scores in one scoring: nobody else's, ever, while it runs."""
    if user is None:
        return {}
    rows = db.session.scalars(
        select(Score).where(
            Score.round_id == round_.id, Score.scoring == scoring, Score.user_id == user.id
        )
    )
    return {(s.idea_id, s.criterion_id): s for s in rows}


def _parse(
    cells: set[Cell], entered: dict[Cell, EnteredScore]
) -> dict[Cell, tuple[int | None, str]]:
    errors: dict[str, str] = {}
    parsed: dict[Cell, tuple[int | None, str]] = {}
    for cell, score in entered.items():
        if cell not in cells:
            raise ChoosingError("A score was given for an idea or criterion not in this round")
        name = f"score-{cell[0]}-{cell[1]}"
        text = score.value.strip()
        if not text:
            parsed[cell] = (None, "")
            continue
        if not text.isdigit() or not LOWEST_SCORE <= int(text) <= HIGHEST_SCORE:
            errors[name] = f"A score must be a whole number from 1 to 5, not {text[:10]}"
            continue
        if len(score.reason) > REASON_LIMIT:
            errors[f"reason-{cell[0]}-{cell[1]}"] = "A reason must be 300 characters or fewer"
            continue
        parsed[cell] = (int(text), score.reason.strip())
    if errors:
        raise ChoosingError(errors)
    return parsed


def save_scores(round_: Round, user: User, entered: dict[Cell, EnteredScore]) -> int:
    """Save (or revise) the scorer's own scores in the round's current scoring; a blank leaves
    that idea unscored on that criterion. Raises ChoosingError, saving none of them, for a
    score outside 1–5, a scorer not on the panel or a round not scoring. Returns how many of
    the scorer's cells are now scored."""
    lock_row(round_)
    _panelist_check(round_, user, SCORING_STATUSES, "scores")
    cells = {(link.idea_id, c.id) for link in round_.idea_links for c in round_.criteria}
    parsed = _parse(cells, entered)
    existing = own_scores(round_, user, round_.scoring)
    now = utcnow()
    for cell, (value, reason) in parsed.items():
        score = existing.get(cell)
        if value is None:
            if score is not None:
                db.session.delete(score)
            continue
        if score is None:
            score = Score(round_id=round_.id, scoring=round_.scoring, user_id=user.id,
                          idea_id=cell[0], criterion_id=cell[1])  # fmt: skip
            db.session.add(score)
        score.value, score.reason, score.updated_at = value, reason, now
    # The audit log records that they scored, never what: it is read by council admins.
    record_audit(user, "scored", "round", round_.id, round_.title, round_.council_id)
    db.session.commit()
    return len(own_scores(round_, user, round_.scoring))


def all_scores(round_: Round, scoring: int) -> list[Score]:
    """Every score of one scoring: for the result and the exports, once the round has closed."""
    return list(
        db.session.scalars(
            select(Score)
            .where(Score.round_id == round_.id, Score.scoring == scoring)
            .order_by(Score.user_id, Score.idea_id, Score.criterion_id)
        )
    )


def criteria_of(round_: Round) -> list[Criterion]:
    return [Criterion(c.id, c.weight, c.direction) for c in round_.criteria]  # type: ignore[arg-type]


def score_sheet(round_: Round, scoring: int) -> ScoreSheet:
    """The scores of one scoring laid out for the arithmetic. Raises ScoreSheetError when no
    panel member has scored every idea on every criterion."""
    return build_score_sheet(
        [link.idea_id for link in round_.idea_links],
        [p.user_id for p in round_.panel],
        criteria_of(round_),
        [(s.user_id, s.idea_id, s.criterion_id, s.value) for s in all_scores(round_, scoring)],
    )


def only_a_private_write(session: object, obj: object) -> bool:
    """For the page cache: a score or a declaration shows on no public page until the round
    closes, and closing it changes the round itself."""
    return isinstance(obj, Score | Declaration)
