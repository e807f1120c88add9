"""Setting a round up: its ideas, criteria and panel, in draft freely, once open only as an
amendment with a reason, and never once scoring has begun.

Criteria are entered one a line: `name | weight | higher or lower | five definitions separated
by ;`. Weights need not sum to 1 (the result normalises them, and the round page says so), but
each must be more than zero.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from app.auth.audit import record_audit
from app.auth.models import PANEL_MEMBER, Membership, User
from app.choosing.config import config_hash, frozen_config
from app.choosing.errors import ChoosingError
from app.choosing.evidence import attach_evidence, evidence_of
from app.choosing.models import (
    DIRECTIONS,
    Idea,
    Panelist,
    Round,
    RoundAmendment,
    RoundCriterion,
    RoundIdea,
)
from app.choosing.scoresheet import Criterion, ScoreSheetError, normalised_weights
from app.common.db_types import utcnow
from app.councils.models import Council
from app.extensions import db

SCORE_LEVELS = 5
MAX_WEIGHT = Decimal("1000")


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: Decimal
    direction: str
    definitions: tuple[str, ...]


@dataclass
class SetupInput:
    title: str
    idea_ids: list[int] = field(default_factory=list)
    criteria: str = ""
    panel: str = ""  # email addresses, one a line
    consultation_ids: list[int] = field(default_factory=list)  # closed ones, as evidence
    anonymous: bool = False
    reason: str = ""  # required for an amendment of an opened round


def parse_criteria(text: str) -> list[CriterionInput]:
    """The criteria in `text`, one a line; raises ChoosingError naming the line at fault."""
    criteria: list[CriterionInput] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 4:
            raise ChoosingError(
                {"criteria": f"Line {number}: write name | weight | higher or lower | "
                 "five definitions separated by ;"}
            )  # fmt: skip
        name, weight_text, direction, definitions_text = parts
        try:
            weight = Decimal(weight_text)
        except InvalidOperation:
            raise ChoosingError(
                {"criteria": f"Line {number}: the weight must be a number"}
            ) from None
        if not weight.is_finite() or weight <= 0 or weight >= MAX_WEIGHT:
            raise ChoosingError(
                {"criteria": f"Line {number}: the weight of {name or 'a criterion'} must be more "
                 "than zero and under 1,000"}
            )  # fmt: skip
        direction = direction.lower().removesuffix(" is better")
        if direction not in DIRECTIONS:
            raise ChoosingError({"criteria": f"Line {number}: say higher or lower (is better)"})
        definitions = tuple(d.strip() for d in definitions_text.split(";"))
        if len(definitions) != SCORE_LEVELS or not all(definitions) or not name:
            raise ChoosingError(
                {"criteria": f"Line {number}: give the criterion a name and define each score "
                 "from 1 to 5, separated by ;"}
            )  # fmt: skip
        criteria.append(
            CriterionInput(name[:100], weight.quantize(Decimal("0.001")), direction, definitions)
        )
    if not criteria:
        raise ChoosingError({"criteria": "Enter at least one criterion"})
    try:
        normalised_weights([Criterion(c.name, c.weight, c.direction) for c in criteria])  # type: ignore[arg-type]
    except ScoreSheetError as error:
        raise ChoosingError({"criteria": str(error)}) from None
    return criteria


def weights_need_normalising(criteria: list[RoundCriterion] | list[CriterionInput]) -> bool:
    return sum((Decimal(c.weight) for c in criteria), Decimal(0)) != 1


def panel_members_of(council: Council, text: str) -> list[User]:
    """The people named (by email, one a line), each a panel member of the council."""
    emails = [e.strip().lower() for e in text.replace(",", "\n").splitlines() if e.strip()]
    if not emails:
        raise ChoosingError({"panel": "Name at least one panel member, by email address"})
    holders = {
        m.user.email.lower(): m.user
        for m in db.session.scalars(
            select(Membership).where(
                Membership.council_id == council.id,
                Membership.role == PANEL_MEMBER,
                Membership.status == "approved",
            )
        )
    }
    unknown = [e for e in emails if e not in holders]
    if unknown:
        raise ChoosingError(
            {"panel": f"Not a panel member of {council.nice_name}: {', '.join(unknown)}. Give "
             "them the panel-member role on the council's members page first"}
        )  # fmt: skip
    return list({e: holders[e] for e in emails}.values())


def _ideas_of(council: Council, idea_ids: list[int]) -> list[Idea]:
    ideas = {
        i.id: i
        for i in db.session.scalars(
            select(Idea).where(Idea.id.in_(idea_ids), Idea.council_id == council.id)
        )
    }
    if len(ideas) != len(set(idea_ids)):
        raise ChoosingError({"idea_ids": "Choose ideas of this council from the list"})
    if len(ideas) < 2:
        raise ChoosingError({"idea_ids": "Choose at least two ideas to prioritise"})
    return [ideas[i] for i in dict.fromkeys(idea_ids)]


def _free_pseudonyms(taken: set[str], count: int) -> list[str]:
    # Drawn at random, so that the order of the panel (by name) does not give away who is who.
    letters = [f"Scorer {c}" for c in string.ascii_uppercase if f"Scorer {c}" not in taken]
    if count <= len(letters):
        return secrets.SystemRandom().sample(letters, count)
    numbers = (f"Scorer {n}" for n in range(27, 27 + len(taken) + count))
    return (letters + [name for name in numbers if name not in taken])[:count]


def _apply(round_: Round, data: SetupInput) -> list[CriterionInput]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "Enter the round's title"
    found: dict[str, object] = {}
    for name, step in (
        ("idea_ids", lambda: _ideas_of(round_.council, data.idea_ids)),
        ("criteria", lambda: parse_criteria(data.criteria)),
        ("panel", lambda: panel_members_of(round_.council, data.panel)),
        ("consultation_ids", lambda: evidence_of(round_.council, data.consultation_ids)),
    ):
        try:
            found[name] = step()
        except ChoosingError as error:
            errors.update(error.errors)
    if errors:
        raise ChoosingError(errors)
    ideas: list[Idea] = found["idea_ids"]  # type: ignore[assignment]
    criteria: list[CriterionInput] = found["criteria"]  # type: ignore[assignment]
    panel: list[User] = found["panel"]  # type: ignore[assignment]
    attach_evidence(round_, found["consultation_ids"])  # type: ignore[arg-type]
    round_.title = data.title.strip()[:140]
    round_.anonymous = data.anonymous
    round_.idea_links = [RoundIdea(idea=idea, position=n) for n, idea in enumerate(ideas)]
    round_.criteria = [
        RoundCriterion(position=n, name=c.name, weight=c.weight, direction=c.direction,
                       definitions=list(c.definitions))
        for n, c in enumerate(criteria)
    ]  # fmt: skip
    # Someone who stays on the panel keeps their pseudonym; newcomers get free ones.
    kept = {p.user_id: p for p in round_.panel if p.user_id in {u.id for u in panel}}
    newcomers = [user for user in panel if user.id not in kept]
    fresh = _free_pseudonyms({p.pseudonym for p in kept.values()}, len(newcomers))
    added = {
        user.id: Panelist(user=user, pseudonym=name)
        for user, name in zip(newcomers, fresh, strict=True)
    }
    round_.panel = [kept.get(user.id) or added[user.id] for user in panel]
    round_.updated_at = utcnow()
    return criteria


def create_round(council: Council, data: SetupInput, actor: User | None) -> tuple[Round, bool]:
    """A draft round for the council; and whether its weights were normalised (say so)."""
    round_ = Round(council=council, created_by=actor, status="draft")
    # Added only once the set-up is sound: refused input leaves nothing behind in the session.
    criteria = _apply(round_, data)
    db.session.add(round_)
    db.session.flush()
    record_audit(actor, "created", "round", round_.id, round_.title, council.id)
    db.session.commit()
    return round_, weights_need_normalising(criteria)


def save_setup(round_: Round, data: SetupInput, actor: User | None) -> tuple[Round, bool]:
    """Change a round's set-up: freely in draft; once open only as an amendment with a reason,
    which freezes the configuration afresh with a new hash; never once scoring has begun."""
    if round_.status not in ("draft", "open"):
        raise ChoosingError("Scoring has begun: the round's set-up can no longer change")
    if round_.status == "open" and not data.reason.strip():
        raise ChoosingError({"reason": "Say why the opened round's set-up is being amended"})
    with db.session.no_autoflush:
        criteria = _apply(round_, data)
    db.session.flush()
    if round_.status == "open":
        previous = round_.config_hash or ""
        round_.config = frozen_config(round_)
        round_.config_hash = config_hash(round_.config)
        round_.amendments.append(
            RoundAmendment(actor=actor, reason=data.reason.strip(), previous_hash=previous,
                           config_hash=round_.config_hash)
        )  # fmt: skip
        record_audit(actor, "amended", "round", round_.id, round_.title, round_.council_id,
                     reason=data.reason.strip(), config_hash=round_.config_hash)  # fmt: skip
    else:
        record_audit(actor, "edited", "round", round_.id, round_.title, round_.council_id)
    db.session.commit()
    return round_, weights_need_normalising(criteria)
