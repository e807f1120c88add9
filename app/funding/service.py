"""Funding programmes: the rules, the queries and the changes; the awards public pages show.

Public views see awards only for public pilots: an award to a draft stays with the funder until
the council registers the pilot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.auth.service import has_role, is_admin
from app.common.conflicts import retry_on_conflict
from app.common.db_types import utcnow
from app.common.pagination import Page
from app.common.slugs import free_slug
from app.extensions import db
from app.funding.models import Award, Programme, ProgrammePillar
from app.funding.scope import PUBLIC
from app.pillars.service import PILLAR_SLUGS
from app.pilots.models import PUBLIC_STATUSES, VERDICTS, Pilot

# An org-id (org-id.guide) for a UK organisation: GB-GOR-D6, GB-CHC-1078217, GB-COH-07991677.
ORG_ID = re.compile(r"^GB-[A-Z]{2,6}-[A-Za-z0-9][A-Za-z0-9.\-]{0,40}$")
MAX_PENCE = 10_000_000_000_00  # ten billion pounds: beyond any programme, within BigInteger


def can_manage_funding(user: User | None) -> bool:
    """Funders and admins create and edit programmes and awards."""
    return is_admin(user) or has_role(user, "funder")


# Programmes


@dataclass
class ProgrammeData:
    name: str
    funder_name: str
    funder_org_id: str
    round: str = ""
    description: str = ""
    opens_on: date | None = None
    closes_on: date | None = None
    total_budget_pence: int = 0
    report_due_days: int | None = None
    conditions: str = ""
    pillars: list[str] = field(default_factory=list)


class FundingRulesError(ValueError):
    """A programme or award cannot be saved as entered; `errors`: field → how to fix it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def check_programme_rules(data: ProgrammeData) -> dict[str, str]:
    """Rules across a programme's fields: field name → how to fix it."""
    errors: dict[str, str] = {}
    if not ORG_ID.match(data.funder_org_id):
        errors["funder_org_id"] = (
            "Enter the funder's org-id, like GB-GOR-D6 for a government department"
        )
    if data.opens_on and data.closes_on and data.closes_on < data.opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date"
    if not 0 <= data.total_budget_pence <= MAX_PENCE:
        errors["total_budget"] = "The total budget must be between £0 and £10 billion"
    if data.report_due_days is not None and not 0 <= data.report_due_days <= 3650:
        errors["report_due_days"] = "Days until the report is due must be between 0 and 3650"
    if any(p not in PILLAR_SLUGS for p in data.pillars):
        errors["pillars"] = "Choose pillars from the list"
    return errors


def _unique_programme_slug(name: str) -> str:
    return free_slug(name, "programme", "/funding/programmes/", _programme_slug_taken)


def _programme_slug_taken(slug: str) -> bool:
    return bool(db.session.scalar(select(func.count()).where(Programme.slug == slug)))


def apply_programme_data(programme: Programme, data: ProgrammeData) -> None:
    for name in (
        "name", "funder_name", "funder_org_id", "round", "description", "opens_on", "closes_on",
        "total_budget_pence", "report_due_days", "conditions",
    ):  # fmt: skip
        setattr(programme, name, getattr(data, name))
    current = {link.pillar_slug: link for link in programme.pillar_links}
    programme.pillar_links = [
        current.get(s) or ProgrammePillar(pillar_slug=s) for s in dict.fromkeys(data.pillars)
    ]
    programme.updated_at = utcnow()


def create_programme(data: ProgrammeData, slug: str | None = None) -> Programme:
    """Create a programme; its slug comes from its name unless given (two at once with the same
    name: the second takes the next slug)."""

    def create() -> Programme:
        programme = Programme(slug=slug or _unique_programme_slug(data.name))
        apply_programme_data(programme, data)
        db.session.add(programme)
        db.session.commit()
        return programme

    return retry_on_conflict(create)


def update_programme(programme: Programme, data: ProgrammeData) -> Programme:
    """Save an edit to a programme; its slug, and so its address, stays the same."""
    apply_programme_data(programme, data)
    db.session.commit()
    return programme


def save_programme(data: ProgrammeData, existing: Programme | None = None) -> Programme:
    """Create a programme (no `existing`) or save changes to one; raises FundingRulesError."""
    errors = check_programme_rules(data)
    if errors:
        raise FundingRulesError(errors)
    return create_programme(data) if existing is None else update_programme(existing, data)


def programme_by_slug(slug: str) -> Programme | None:
    """The programme at /funding/programmes/<slug>, or None."""
    return db.session.scalar(select(Programme).where(Programme.slug == slug))


@dataclass
class MoneySummary:
    trials: int = 0
    awarded_pence: int = 0
    disbursed_pence: int = 0


def _public_award_totals() -> dict[int, MoneySummary]:
    rows = db.session.execute(
        select(
            Award.programme_id,
            func.count(func.distinct(Award.pilot_id)),
            func.coalesce(func.sum(Award.amount_awarded_pence), 0),
            func.coalesce(func.sum(Award.amount_disbursed_pence), 0),
        )
        .join(Pilot, Pilot.id == Award.pilot_id)
        .where(PUBLIC)  # not by the status index: from the awards, each pilot by id
        .group_by(Award.programme_id)
    ).all()
    return {pid: MoneySummary(int(n), int(a), int(d)) for pid, n, a, d in rows}


def list_programmes() -> list[tuple[Programme, MoneySummary]]:
    """Every programme, newest first, with its public trials and money."""
    totals = _public_award_totals()
    programmes = db.session.scalars(
        select(Programme)
        .options(selectinload(Programme.pillar_links))
        .order_by(Programme.opens_on.desc().nulls_last(), Programme.name)
    )
    return [(p, totals.get(p.id, MoneySummary())) for p in programmes]


def programme_pilot_ids(programme: Programme) -> list[int]:
    """Ids of the pilots holding an award from the programme."""
    return list(
        db.session.scalars(select(Award.pilot_id).where(Award.programme_id == programme.id))
    )


def public_awards_for_programme(programme: Programme) -> list[Award]:
    """The programme's awards to public pilots, by pilot title."""
    return list(db.session.scalars(_public_awards_query(programme)))


AWARDS_PER_PAGE = 50


def _public_awards_query(programme: Programme) -> Select[tuple[Award]]:
    return (
        select(Award)
        .join(Pilot, Pilot.id == Award.pilot_id)
        .where(Award.programme_id == programme.id, PUBLIC)
        .options(selectinload(Award.pilot).selectinload(Pilot.lead_council))
        .options(selectinload(Award.recipient))
        .order_by(Pilot.title, Award.reference, Award.id)
    )


def public_awards_page(programme: Programme, page: int, total: int) -> Page:
    """One page of the programme's awards to public pilots, by pilot title (`total`: how many
    there are, from programme_results)."""
    offset = (page - 1) * AWARDS_PER_PAGE
    items = list(
        db.session.scalars(_public_awards_query(programme).limit(AWARDS_PER_PAGE).offset(offset))
    )
    return Page(items=items, page=page, per_page=AWARDS_PER_PAGE, total=total)


@dataclass
class ProgrammeResults:
    money: MoneySummary
    by_status: dict[str, int]
    by_verdict: dict[str, int]
    awards: int = 0

    @property
    def undisbursed_pence(self) -> int:
        return self.money.awarded_pence - self.money.disbursed_pence


def programme_results(awards: list[Award]) -> ProgrammeResults:
    """Totals, trials by status and verdicts, from the awards given (so they always add up)."""
    pilots = {a.pilot.id: a.pilot for a in awards}.values()
    by_status = {s: sum(1 for p in pilots if p.status == s) for s in PUBLIC_STATUSES}
    by_verdict = {
        v: sum(1 for p in pilots if p.status == "concluded" and p.verdict == v) for v in VERDICTS
    }
    money = MoneySummary(
        trials=len(pilots),
        awarded_pence=sum(a.amount_awarded_pence for a in awards),
        disbursed_pence=sum(a.amount_disbursed_pence for a in awards),
    )
    return ProgrammeResults(money, by_status, by_verdict, awards=len(awards))


def programme_totals(programme: Programme) -> ProgrammeResults:
    """programme_results for all the programme's awards to public pilots, in one grouped
    statement: the awards and distinct trials by status and verdict, with their money."""
    rows = db.session.execute(
        select(
            Pilot.status,
            Pilot.verdict,
            func.count(Award.id),
            func.count(func.distinct(Award.pilot_id)),
            func.coalesce(func.sum(Award.amount_awarded_pence), 0),
            func.coalesce(func.sum(Award.amount_disbursed_pence), 0),
        )
        .join(Pilot, Pilot.id == Award.pilot_id)
        .where(Award.programme_id == programme.id, PUBLIC)
        .group_by(Pilot.status, Pilot.verdict)
    ).all()
    by_status = dict.fromkeys(PUBLIC_STATUSES, 0)
    by_verdict = dict.fromkeys(VERDICTS, 0)
    money = MoneySummary()
    awards = 0
    for status, verdict, n_awards, trials, awarded, disbursed in rows:
        # A pilot has one status and one verdict, so the groups' distinct trials add up.
        if status in by_status:
            by_status[status] += int(trials)
        if status == "concluded" and verdict in by_verdict:
            by_verdict[verdict] += int(trials)
        awards += int(n_awards)
        money.trials += int(trials)
        money.awarded_pence += int(awarded)
        money.disbursed_pence += int(disbursed)
    return ProgrammeResults(money, by_status, by_verdict, awards=awards)


def programme_rounds(programme: Programme | None = None) -> list[str]:
    """Every named round, for the dashboard's filter; only `programme`'s when one is chosen."""
    query = select(Programme.round).distinct().order_by(Programme.round)
    if programme is not None:
        query = query.where(Programme.id == programme.id)
    return [r for r in db.session.scalars(query) if r]


def all_programmes() -> list[Programme]:
    """Every programme by name, for the dashboard's filter."""
    return list(db.session.scalars(select(Programme).order_by(Programme.name)))


@dataclass
class PilotFunding:
    awards: list[Award]

    @property
    def awarded_pence(self) -> int:
        return sum(a.amount_awarded_pence for a in self.awards)

    @property
    def disbursed_pence(self) -> int:
        return sum(a.amount_disbursed_pence for a in self.awards)


def pilot_funding(pilot: Pilot) -> PilotFunding:
    """The pilot's awards, for its page."""
    awards = db.session.scalars(
        select(Award)
        .where(Award.pilot_id == pilot.id)
        .options(selectinload(Award.programme), selectinload(Award.recipient))
        .order_by(Award.award_date, Award.id)
    )
    return PilotFunding(list(awards))


def pilot_funders(pilot: Pilot) -> list[tuple[str, str]]:
    """The funders (name, organisation id) of the programmes that made the pilot an award."""
    rows = db.session.execute(
        select(Programme.funder_name, Programme.funder_org_id)
        .join(Award, Award.programme_id == Programme.id)
        .where(Award.pilot_id == pilot.id)
        .distinct()
        .order_by(Programme.funder_name, Programme.funder_org_id)
    )
    return [(name, org_id) for name, org_id in rows]
