"""Pilots: the queries behind every listing, and creating and editing drafts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, String, cast, func, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from app.auth import service as auth_service
from app.auth.audit import record_audit
from app.auth.models import User
from app.common.conflicts import retry_on_conflict
from app.common.db_types import utcnow
from app.common.pagination import Page
from app.common.slugs import free_slug
from app.councils.models import Council
from app.extensions import db
from app.pilots import counts
from app.pilots.edit_changes import changed_fields, pilot_field_values
from app.pilots.events import record_event
from app.pilots.models import (
    PUBLIC_STATUSES,
    STATUSES,
    Pilot,
    PilotCount,
    PilotPillar,
    PilotTag,
    pilot_partners,
)

PER_PAGE = 20


@dataclass
class PilotFilters:
    council: str | None = None
    pillar: str | None = None
    status: str | None = None
    verdict: str | None = None


@dataclass
class PilotData:
    """Everything a council officer writes about a pilot, already parsed and typed."""

    title: str
    hypothesis: str
    lead_council: Council
    pillars: list[str]
    summary: str = ""
    problem: str = ""
    approach: str = ""
    offline_access: str = ""
    case_study: str = ""
    partners: list[Council] = field(default_factory=list)
    location: str = ""
    location_gss: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    tags: list[str] = field(default_factory=list)
    planned_cost_pence: int | None = None
    actual_cost_pence: int | None = None
    start_date: date | None = None
    planned_end_date: date | None = None
    actual_end_date: date | None = None
    evaluation_design: int | None = None
    # The form says which earlier pilot this replicates; the importer leaves it alone.
    set_replication: bool = False
    replicates: Pilot | None = None
    replication_kind: str | None = None


def _public() -> Select[tuple[Pilot]]:
    return select(Pilot).where(Pilot.status.in_(PUBLIC_STATUSES))


_LISTING_RELATIONS = (
    selectinload(Pilot.lead_council),
    selectinload(Pilot.pillar_links),
    selectinload(Pilot.partners),
)


def _with_listing_relations(query: Select[tuple[Pilot]]) -> Select[tuple[Pilot]]:
    return query.options(*_LISTING_RELATIONS)


def _paginate(
    query: Select[tuple[Pilot]], page: int, per_page: int = PER_PAGE, total: int | None = None
) -> Page:
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    # The page's ids first, sorted from the indexes, then those pilots whole: sorting whole
    # pilot rows (case studies and all) read every match (0.4 s of CPU for a pillar at 100k).
    ids = query.with_only_columns(Pilot.id).limit(per_page).offset((page - 1) * per_page)
    return _page_of(list(db.session.scalars(ids)), page, per_page, total or 0)


def _page_of(ids: list[int], page: int, per_page: int, total: int) -> Page:
    """These pilots, in this order, with what a listing shows of them."""
    chosen = select(Pilot).where(Pilot.id.in_(ids))
    found: dict[int, Pilot] = {
        p.id: p for p in db.session.scalars(chosen.options(*_LISTING_RELATIONS))
    }
    items = [found[i] for i in ids if i in found]
    return Page(items=items, page=page, per_page=per_page, total=total)


def _involving_council(council_id: int) -> ColumnElement[bool]:
    partnered = select(pilot_partners.c.pilot_id).where(pilot_partners.c.council_id == council_id)
    return or_(Pilot.lead_council_id == council_id, Pilot.id.in_(partnered))


def filtered_public_pilots(filters: PilotFilters) -> Select[tuple[Pilot]]:
    """Public pilots matching the filters, newest change first."""
    query = _public()
    if filters.council:
        council = db.session.scalar(select(Council).where(Council.code == filters.council.upper()))
        query = query.where(_involving_council(council.id if council else -1))
    if filters.pillar:
        query = query.where(
            Pilot.id.in_(
                select(PilotPillar.pilot_id).where(PilotPillar.pillar_slug == filters.pillar)
            )
        )
    if filters.status:
        query = query.where(Pilot.status == filters.status)
    if filters.verdict:
        query = query.where(Pilot.verdict == filters.verdict)
    return query.order_by(Pilot.updated_at.desc(), Pilot.id.desc())


def list_public_pilots(filters: PilotFilters, page: int = 1) -> Page:
    """One page of public pilots for /pilots and the pillar pages."""
    return _paginate(filtered_public_pilots(filters), page, total=_kept_total(filters))


def _kept_total(filters: PilotFilters) -> int | None:
    """How many match, where a kept count says (all, one status, one pillar): counting the
    matches of a pillar read a third of the registry."""
    if filters.council or filters.verdict or (filters.status and filters.pillar):
        return None
    if filters.pillar:
        return counts.count_of("pillar", filters.pillar)
    if filters.status:
        return counts.count_of("status", filters.status) if filters.status != "draft" else 0
    return sum(counts.counts_of("status").values())


def recent_public_pilots(limit: int = 6) -> list[Pilot]:
    """The home page's newest public pilots: read newest first from the updated_at index,
    passing over drafts. Written as `status IN (the public statuses)`, SQLite chose the
    (status, updated_at) index instead and sorted every public pilot (0.75 s at 100,000)."""
    public = Pilot.status != STATUSES[0]  # every status but draft
    query = _with_listing_relations(
        select(Pilot).where(public).order_by(Pilot.updated_at.desc(), Pilot.id.desc()).limit(limit)
    )
    return list(db.session.scalars(query))


def public_counts() -> tuple[dict[str, int], dict[str, int]]:
    """Counts of public pilots by status and, for concluded ones, by verdict."""
    return counts.counts_of("status"), counts.counts_of("verdict")


def public_counts_by_pillar() -> dict[str, int]:
    return counts.counts_of("pillar")


def councils_with_public_pilots() -> list[Council]:
    """Councils that lead or partner in at least one public pilot, by name (for filters)."""
    # One index probe per council for its first public pilot, (lead_council_id, status) and
    # pilot_partners.council_id: collecting every public pilot's councils first read the
    # whole registry (3.8 s at 100,000 pilots).
    leads = (
        select(Pilot.id)
        .where(Pilot.lead_council_id == Council.id, Pilot.status.in_(PUBLIC_STATUSES))
        .exists()
    )
    partners = (
        select(pilot_partners.c.pilot_id)
        .join(Pilot, Pilot.id == pilot_partners.c.pilot_id)
        .where(pilot_partners.c.council_id == Council.id, Pilot.status.in_(PUBLIC_STATUSES))
        .exists()
    )
    query = select(Council).where(or_(leads, partners)).order_by(Council.nice_name)
    return list(db.session.scalars(query))


def pilots_for_council(council: Council, page: int = 1) -> Page:
    """Public pilots the council leads or partners in, the latest changed first."""
    # Those it leads and those it partners in are each read in order from their own index, as
    # many as reach this page, and merged: an OR of the two read every pilot the council took
    # part in (a seventh of the registry for the busiest) to sort them for a page of 20.
    public = Pilot.status.in_(PUBLIC_STATUSES)
    newest = (Pilot.updated_at.desc(), Pilot.id.desc())
    led = select(Pilot.id, Pilot.updated_at).where(Pilot.lead_council_id == council.id, public)
    partnered = (
        select(Pilot.id, Pilot.updated_at)
        .join(pilot_partners, pilot_partners.c.pilot_id == Pilot.id)
        .where(pilot_partners.c.council_id == council.id, public)
        .where(Pilot.lead_council_id != council.id)
    )
    reach = page * PER_PAGE
    merged = union_all(
        select(led.order_by(*newest).limit(reach).subquery()),
        select(partnered.order_by(*newest).limit(reach).subquery()),
    ).subquery()
    ids = (
        select(merged.c.id)
        .order_by(merged.c.updated_at.desc(), merged.c.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    in_partnership = select(func.count()).select_from(partnered.subquery())
    total = counts.count_of("lead", str(council.id)) + (db.session.scalar(in_partnership) or 0)
    return _page_of(list(db.session.scalars(ids)), page, PER_PAGE, total)


def council_drafts(council_ids: set[int]) -> list[Pilot]:
    if not council_ids:
        return []
    query = (
        select(Pilot)
        .where(Pilot.status == "draft", Pilot.lead_council_id.in_(council_ids))
        .order_by(Pilot.updated_at.desc())
    )
    return list(db.session.scalars(_with_listing_relations(query)))


def council_drafts_page(council_id: int, page: int, per_page: int) -> Page:
    """One page of the drafts a council leads, the latest changed first (for its API token)."""
    query = (
        select(Pilot)
        .where(Pilot.status == "draft", Pilot.lead_council_id == council_id)
        .order_by(Pilot.updated_at.desc(), Pilot.id.desc())
    )
    return _paginate(query, page, per_page)


def councils_with_pilots_led(nation: str | None, la_type: str | None) -> Select[Council, int]:
    """(council, public pilots it leads) for the directory's filters, in no order."""
    # The kept counts (counts.py): counting each council's pilots through (lead_council_id,
    # status) read every public pilot's index entry for the directory sorted by reporting.
    led = (
        select(PilotCount.pilots)
        .where(PilotCount.facet == "lead", PilotCount.value == cast(Council.id, String))
        .scalar_subquery()
    )
    query = select(Council, func.coalesce(led, 0))
    if nation:
        query = query.where(Council.nation == nation)
    if la_type:
        query = query.where(Council.la_type == la_type)
    return query


def council_directory(nation: str | None, la_type: str | None, page: int = 1) -> Page:
    """Councils with how many public pilots each leads, by name; items are (council, count)."""
    query = councils_with_pilots_led(nation, la_type)
    counted = query.with_only_columns(func.count(Council.id))
    total = db.session.scalar(counted) or 0
    rows = db.session.execute(
        query.order_by(Council.is_current.desc(), Council.nice_name)
        .limit(50)
        .offset((page - 1) * 50)
    ).all()
    return Page(items=[tuple(r) for r in rows], page=page, per_page=50, total=total)


def pilot_by_slug(slug: str) -> Pilot | None:
    return db.session.scalar(select(Pilot).where(Pilot.slug == slug))


def pilot_for_page(slug: str) -> Pilot | None:
    """The pilot with what its page and edit form show of it, a query for each kind of thing."""
    query = (
        select(Pilot)
        .where(Pilot.slug == slug)
        .options(
            joinedload(Pilot.lead_council),
            joinedload(Pilot.replicates).joinedload(Pilot.lead_council),
            selectinload(Pilot.partners),
            selectinload(Pilot.pillar_links),
            selectinload(Pilot.tag_links),
        )
    )
    return db.session.scalar(query)


def pilot_visible_to(user: User | None, slug: str) -> Pilot | None:
    """The pilot for its pages, or None when there is none this user may see: a draft is there
    only for its own council (and admins)."""
    pilot = pilot_for_page(slug)
    if pilot is None or pilot.is_public:
        return pilot
    return pilot if auth_service.can_view_council_drafts(user, pilot.lead_council_id) else None


def unique_slug(title: str) -> str:
    """A free slug for a new pilot's address, /pilots/<slug>."""
    return free_slug(title, "pilot", "/pilots/", _pilot_slug_taken)


def _pilot_slug_taken(slug: str) -> bool:
    return bool(db.session.scalar(select(func.count()).where(Pilot.slug == slug)))


def apply_pilot_data(pilot: Pilot, data: PilotData) -> None:
    for name in (
        "title", "hypothesis", "summary", "problem", "approach", "offline_access", "case_study",
        "location", "location_gss", "latitude", "longitude", "planned_cost_pence",
        "actual_cost_pence", "start_date", "planned_end_date", "actual_end_date",
        "evaluation_design",
    ):  # fmt: skip
        setattr(pilot, name, getattr(data, name))
    pilot.lead_council = data.lead_council
    pilot.partners = list(data.partners)
    current_pillars = {link.pillar_slug: link for link in pilot.pillar_links}
    pilot.pillar_links = [
        current_pillars.get(s) or PilotPillar(pillar_slug=s) for s in data.pillars
    ]
    current_tags = {link.tag: link for link in pilot.tag_links}
    unique_tags = list(dict.fromkeys(t for t in data.tags if t))
    pilot.tag_links = [current_tags.get(t) or PilotTag(tag=t) for t in unique_tags]
    if data.set_replication:
        pilot.replicates = data.replicates
        pilot.replication_kind = data.replication_kind if data.replicates else None


def create_pilot(data: PilotData, author: User | None) -> Pilot:
    """Create a draft pilot for the lead council; it stays private until registered. Two
    identical requests at once (a double click) make two drafts, the second with the next slug."""

    def create() -> Pilot:
        pilot = Pilot(slug=unique_slug(data.title), status="draft", created_by=author)
        apply_pilot_data(pilot, data)
        pilot.updated_by = author
        db.session.add(pilot)
        db.session.flush()
        record_event(pilot, "created", author, f"Draft created: {pilot.title}")
        record_audit(author, "created", "pilot", pilot.slug, pilot.title, pilot.lead_council_id)
        db.session.commit()
        return pilot

    return retry_on_conflict(create)


def update_pilot(pilot: Pilot, data: PilotData, author: User | None) -> Pilot:
    """Save an edit; the caller has already kept frozen fields as they were. The audit entry
    says which fields changed (and, for short ones, from what to what)."""
    before = pilot_field_values(pilot)
    apply_pilot_data(pilot, data)
    pilot.updated_by = author
    pilot.updated_at = utcnow()
    changes = changed_fields(before, pilot_field_values(pilot))
    record_audit(
        author, "edited", "pilot", pilot.slug, pilot.title, pilot.lead_council_id, changes=changes
    )
    db.session.commit()
    return pilot
