"""The decision: a council admin records the ideas chosen, in order, why it departs from the
ranking (required when it does), and the meeting and minute. Each chosen idea becomes a draft
pilot of the council with the idea's fields carried over, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.appraisal.service import move_idea_appraisal
from app.auth.audit import record_audit
from app.auth.models import User
from app.choosing.errors import ChoosingError
from app.choosing.models import Idea, Round, RoundIdea
from app.choosing.priorities import answered_priorities
from app.choosing.results import published_result
from app.common.conflicts import lock_row
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots import service as pilots_service
from app.pilots.events import record_event
from app.pilots.models import Pilot, PilotPillar


@dataclass(frozen=True)
class DecisionInput:
    chosen: list[int]  # idea ids, in order
    departure_reason: str = ""
    meeting: str = ""
    minute_reference: str = ""


def departs_from_ranking(round_: Round, chosen: list[int]) -> bool:
    """Whether the ideas chosen are not the top of the published ranking, in its order."""
    published = published_result(round_)
    ranking = [r.idea for r in published.result.ideas] if published else []
    return chosen != ranking[: len(chosen)]


def _check(round_: Round, data: DecisionInput) -> bool:
    if round_.status != "closed":
        raise ChoosingError("Only a closed round can be decided")
    errors: dict[str, str] = {}
    in_round = {link.idea_id for link in round_.idea_links}
    if not data.chosen:
        errors["first"] = "Choose at least one idea"
    elif len(set(data.chosen)) != len(data.chosen):
        errors["first"] = "Choose each idea once"
    elif any(i not in in_round for i in data.chosen):
        errors["first"] = "Choose ideas of this round"
    if not data.meeting.strip():
        errors["meeting"] = "Say at which meeting the decision was taken"
    if not data.minute_reference.strip():
        errors["minute_reference"] = "Give the minute's reference"
    departs = not errors and departs_from_ranking(round_, data.chosen)
    if departs and not data.departure_reason.strip():
        errors["departure_reason"] = (
            "The ideas chosen are not the top of the ranking, in order: say why"
        )
    if errors:
        raise ChoosingError(errors)
    return departs


def _make_pilot(idea: Idea, round_: Round, actor: User | None) -> Pilot:
    pilot = Pilot(
        slug=pilots_service.unique_slug(idea.title),
        status="draft",
        title=idea.title,
        summary=idea.need.split("\n", 1)[0][:500],
        problem=idea.need,
        hypothesis="",
        lead_council_id=idea.council_id,
        replicates_id=idea.replicates_id,
        replication_kind="replicates" if idea.replicates_id else None,
        created_by=actor,
        updated_by=actor,
        pillar_links=[PilotPillar(pillar_slug=slug) for slug in idea.pillars],
    )
    db.session.add(pilot)
    db.session.flush()
    idea.pilot = pilot
    # The idea's business case comes with it, in this same transaction.
    move_idea_appraisal(idea.id, pilot)
    record_event(pilot, "created", actor, f"Draft created from idea chosen in {round_.title}")
    record_audit(actor, "created", "pilot", pilot.slug, pilot.title, pilot.lead_council_id)
    return pilot


def decide_round(round_: Round, data: DecisionInput, actor: User | None) -> list[Pilot]:
    """Record the decision and make each chosen idea (not yet a pilot) a draft pilot. Raises
    ChoosingError, changing nothing, for a round not closed, no idea chosen, no meeting or
    minute, or a departure from the ranking without a reason. Returns the pilots made."""
    lock_row(round_)
    departs = _check(round_, data)
    ideas = {link.idea_id: link.idea for link in round_.idea_links}
    made = [_make_pilot(ideas[i], round_, actor) for i in data.chosen if ideas[i].pilot_id is None]
    round_.chosen_idea_ids = list(data.chosen)
    round_.departure_reason = data.departure_reason.strip() if departs else ""
    round_.meeting = data.meeting.strip()[:200]
    round_.minute_reference = data.minute_reference.strip()[:100]
    round_.decided_by = actor
    round_.decided_at = round_.updated_at = utcnow()
    round_.status = "decided"
    record_audit(
        actor, "decided", "round", round_.id, round_.title, round_.council_id,
        chosen=list(data.chosen), departs=departs,
    )  # fmt: skip
    db.session.commit()
    return made


def pilot_origin(pilot: Pilot) -> dict[str, object] | None:
    """The idea a pilot was chosen from, the round that chose it, and the residents' priorities
    it answered (consultations that offered the idea, and those the round took as evidence), for
    the pilot page's "How it was chosen"."""
    idea = db.session.scalar(select(Idea).where(Idea.pilot_id == pilot.id))
    if idea is None:
        return None
    rounds = db.session.scalars(
        select(Round)
        .join(RoundIdea, RoundIdea.round_id == Round.id)
        .where(RoundIdea.idea_id == idea.id, Round.status == "decided")
        .order_by(Round.decided_at.desc())
    )
    chosen_by = next((r for r in rounds if idea.id in (r.chosen_idea_ids or [])), None)
    answered = answered_priorities(pilot)
    offered = {a.consultation.id for a in answered}
    evidence = [c for c in (chosen_by.evidence if chosen_by else []) if c.id not in offered]
    return {
        "origin_idea": idea,
        "origin_round": chosen_by,
        "answered_priorities": answered,
        "round_evidence": evidence,
    }
