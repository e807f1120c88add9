"""Ideas: a council's candidate pilots, written by its editors, private until published."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only, selectinload

from app.auth.audit import record_audit
from app.auth.models import User
from app.choosing.access import may_see_private
from app.choosing.errors import ChoosingError
from app.choosing.models import COST_BANDS, RAISED_BY, Idea, IdeaPillar, Round, RoundIdea
from app.choosing.models.consultations import Consultation, ConsultationOption
from app.common.db_types import utcnow
from app.common.pagination import Page
from app.councils.models import Council
from app.extensions import db
from app.pillars.service import PILLAR_SLUGS
from app.pilots import service as pilots_service


@dataclass
class IdeaInput:
    title: str
    need: str
    raised_by: str
    cost_band: str
    pillars: list[str] = field(default_factory=list)
    replicates: str = ""  # an earlier pilot's slug, or its address


def _check(data: IdeaInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "Enter the idea's title"
    if not data.need.strip():
        errors["need"] = "Say what need the idea answers"
    if data.raised_by not in RAISED_BY:
        errors["raised_by"] = "Choose who raised the idea"
    if data.cost_band not in COST_BANDS:
        errors["cost_band"] = "Choose a rough cost"
    if any(slug not in PILLAR_SLUGS for slug in data.pillars):
        errors["pillars"] = "Choose pillars from the list"
    replicates = None
    if data.replicates.strip():
        slug = data.replicates.strip().rstrip("/").rpartition("/")[2]
        replicates = pilots_service.pilot_by_slug(slug)
        if replicates is None or not replicates.is_public:
            errors["replicates"] = (
                "There is no published pilot at that address: give its address, like "
                "/pilots/chatbot-for-council-tax"
            )
    if errors:
        raise ChoosingError(errors)
    return {"replicates": replicates}


def _apply(idea: Idea, data: IdeaInput, actor: User | None) -> None:
    resolved = _check(data)
    idea.title = data.title.strip()
    idea.need = data.need.strip()
    idea.raised_by = data.raised_by
    idea.cost_band = data.cost_band
    idea.replicates = resolved["replicates"]  # type: ignore[assignment]
    current = {link.pillar_slug: link for link in idea.pillar_links}
    idea.pillar_links = [
        current.get(slug) or IdeaPillar(pillar_slug=slug) for slug in dict.fromkeys(data.pillars)
    ]
    idea.updated_by = actor
    idea.updated_at = utcnow()


def create_idea(council: Council, data: IdeaInput, actor: User | None) -> Idea:
    """Add an idea for the council, private to it until published. Raises ChoosingError."""
    idea = Idea(council=council, created_by=actor)
    _apply(idea, data, actor)
    db.session.add(idea)
    db.session.flush()
    record_audit(actor, "created", "idea", idea.id, idea.title, council.id)
    db.session.commit()
    return idea


def update_idea(idea: Idea, data: IdeaInput, actor: User | None) -> Idea:
    """Save an edit of the idea. Raises ChoosingError naming the fields to fix."""
    _apply(idea, data, actor)
    record_audit(actor, "edited", "idea", idea.id, idea.title, idea.council_id)
    db.session.commit()
    return idea


def publish_idea(idea: Idea, actor: User | None) -> Idea:
    """Make the idea public on its own; it stays public from then on."""
    if idea.is_published:
        raise ChoosingError("The idea is already published")
    idea.published_at = utcnow()
    record_audit(actor, "published", "idea", idea.id, idea.title, idea.council_id)
    db.session.commit()
    return idea


def publish_ideas(ideas: list[Idea]) -> None:
    """Publish ideas as a consultation or a round opens over them (the caller commits)."""
    now = utcnow()
    for idea in ideas:
        if idea.published_at is None:
            idea.published_at = now


def get_idea(idea_id: int) -> Idea | None:
    return db.session.scalar(
        select(Idea)
        .where(Idea.id == idea_id)
        .options(selectinload(Idea.pillar_links), selectinload(Idea.council))
    )


def council_ideas(council: Council, user: User | None) -> list[Idea]:
    """The council's ideas this person may see (all of them for its staff), newest first."""
    query = select(Idea).where(Idea.council_id == council.id)
    if not may_see_private(user, council.id):
        query = query.where(Idea.published_at.is_not(None))
    return list(db.session.scalars(query.order_by(Idea.updated_at.desc(), Idea.id.desc())))


IDEAS_PER_PAGE = 50


def council_ideas_page(council: Council, user: User | None, page: int) -> Page:
    """One page of council_ideas, with the columns its list shows: the busiest council has
    hundreds of ideas, each with its need written out."""
    query = select(Idea).where(Idea.council_id == council.id)
    if not may_see_private(user, council.id):
        query = query.where(Idea.published_at.is_not(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    shown = (
        query.order_by(Idea.updated_at.desc(), Idea.id.desc())
        .options(
            load_only(Idea.title, Idea.pilot_id, Idea.published_at, Idea.updated_at, raiseload=True)
        )
        .limit(IDEAS_PER_PAGE)
        .offset((page - 1) * IDEAS_PER_PAGE)
    )
    return Page(list(db.session.scalars(shown)), page, IDEAS_PER_PAGE, total)


def only_an_unpublished_idea(session: Session, obj: object) -> bool:
    """For the page cache: an idea nobody outside its council sees yet changes no public page."""
    if isinstance(obj, Idea):
        return obj.published_at is None
    if isinstance(obj, IdeaPillar):
        ideas = (*session.identity_map.values(), *session.new)
        idea = next((i for i in ideas if isinstance(i, Idea) and i.id == obj.idea_id), None)
        return idea is not None and idea.published_at is None
    return False


def council_rounds(council: Council, user: User | None) -> list[Round]:
    """The council's rounds this person may see (drafts too for its staff), newest first."""
    query = select(Round).where(Round.council_id == council.id)
    if not may_see_private(user, council.id):
        query = query.where(Round.status != "draft")
    return list(db.session.scalars(query.order_by(Round.updated_at.desc(), Round.id.desc())))


def idea_rounds(idea: Idea, user: User | None) -> list[Round]:
    """The rounds that put the idea before a panel, newest first (drafts only for its staff)."""
    query = select(Round).join(RoundIdea, RoundIdea.round_id == Round.id)
    query = query.where(RoundIdea.idea_id == idea.id)
    if not may_see_private(user, idea.council_id):
        query = query.where(Round.status != "draft")
    return list(db.session.scalars(query.order_by(Round.created_at.desc(), Round.id.desc())))


def idea_consultations(idea: Idea, user: User | None) -> list[Consultation]:
    """The consultations that offered the idea to residents, newest first (drafts only for its
    staff)."""
    query = select(Consultation).join(
        ConsultationOption, ConsultationOption.consultation_id == Consultation.id
    )
    query = query.where(ConsultationOption.idea_id == idea.id)
    if not may_see_private(user, idea.council_id):
        query = query.where(Consultation.status != "draft")
    order = (Consultation.created_at.desc(), Consultation.id.desc())
    return list(db.session.scalars(query.distinct().order_by(*order)))
