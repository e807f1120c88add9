"""Joining a council: requests, approval by its admins, and the council's email domains.

A domain lets verified addresses there join without waiting, so a council admin cannot grant it
alone: their new domain waits for a registry admin (`pending`), a domain that many organisations
share is refused (app/auth/shared_domains.py), a domain belongs to one council, and it never
admits the person who added it (else an admin could approve their own request by a domain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.auth.audit import record_audit
from app.auth.models import CouncilDomain, Membership, User
from app.auth.service import approved_memberships, is_admin
from app.auth.shared_domains import why_shared
from app.common.conflicts import retry_on_conflict
from app.common.db_types import utcnow
from app.councils.models import Council
from app.extensions import db

DOMAIN_PATTERN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class MembershipError(ValueError):
    """The request cannot be made or decided; the message says why."""


def can_admin_council(user: User | None, council_id: int) -> bool:
    return is_admin(user) or any(
        m.role == "council-admin" and m.council_id == council_id for m in approved_memberships(user)
    )


def administered_councils(user: User | None) -> list[Council]:
    """Councils whose members and domains the user looks after (every council for an admin)."""
    if user is None:
        return []
    query = select(Council).order_by(Council.nice_name)
    if not is_admin(user):
        ids = [
            m.council_id
            for m in approved_memberships(user)
            if m.role == "council-admin" and m.council_id is not None
        ]
        query = query.where(Council.id.in_(ids))
    return list(db.session.scalars(query))


def council_domains(council: Council) -> list[str]:
    """The council's domains, approved or waiting for a registry admin (refused ones left out)."""
    return list(
        db.session.scalars(
            select(CouncilDomain.domain)
            .where(CouncilDomain.council_id == council.id, CouncilDomain.status != "refused")
            .order_by(CouncilDomain.domain)
        )
    )


def council_domain_records(council: Council) -> list[CouncilDomain]:
    """Every domain the council has asked for, with its state, for its admins to read."""
    return list(
        db.session.scalars(
            select(CouncilDomain)
            .where(CouncilDomain.council_id == council.id)
            .order_by(CouncilDomain.domain)
        )
    )


def domains_admitting(council: Council, user: User) -> list[str]:
    """The domains by which this user may join the council without waiting: those a registry
    admin approved, except any the user added themselves."""
    return list(
        db.session.scalars(
            select(CouncilDomain.domain).where(
                CouncilDomain.council_id == council.id,
                CouncilDomain.status == "approved",
                or_(CouncilDomain.added_by_id.is_(None), CouncilDomain.added_by_id != user.id),
            )
        )
    )


def email_domain(user: User) -> str:
    return user.email.rpartition("@")[2].lower() if "@" in user.email else ""


def request_membership(user: User, council: Council) -> Membership:
    """Ask to be an editor for the council. Approved at once when the user's verified email is
    at one of the council's approved domains (not one they added); otherwise it waits for the
    council's admins. The same request sent twice at once is recorded once; the second is told
    it already was."""
    return retry_on_conflict(lambda: _request_membership(user, council))


def _request_membership(user: User, council: Council) -> Membership:
    existing = [m for m in user.memberships if m.council_id == council.id and m.role == "editor"]
    if existing and existing[0].status in ("approved", "pending"):
        word = "already an editor" if existing[0].status == "approved" else "already waiting"
        raise MembershipError(f"You are {word} for {council.nice_name}")
    automatic = user.email_verified and email_domain(user) in domains_admitting(council, user)
    membership = existing[0] if existing else Membership(user=user, role="editor", council=council)
    membership.status = "approved" if automatic else "pending"
    membership.decided_at = utcnow() if automatic else None
    membership.decided_by_id = None
    db.session.add(membership)
    if automatic:
        record_audit(
            user, "approved", "membership", user.email, f"editor of {council.nice_name}",
            council.id, automatic=True, domain=email_domain(user),
        )  # fmt: skip
    else:
        record_audit(
            user, "requested", "membership", user.email, f"editor of {council.nice_name}",
            council.id,
        )  # fmt: skip
    db.session.commit()
    return membership


def pending_requests(council: Council) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.council_id == council.id, Membership.status == "pending")
            .order_by(Membership.created_at)
        )
    )


def council_members(council: Council) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.council_id == council.id, Membership.status == "approved")
            .order_by(Membership.role, Membership.id)
        )
    )


def decide_request(council: Council, membership_id: int, approve: bool, actor: User) -> Membership:
    """Approve or refuse a pending request to join this council (never another council's)."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.council_id != council.id:
        raise MembershipError("There is no such request for this council")
    if membership.status != "pending":
        raise MembershipError("This request has already been decided")
    if membership.user_id == actor.id and not is_admin(actor):
        raise MembershipError("Another administrator must decide your own request")
    membership.status = "approved" if approve else "refused"
    membership.decided_by_id = actor.id
    membership.decided_at = utcnow()
    record_audit(
        actor, "approved" if approve else "refused", "membership", membership.user.email,
        f"{membership.role} of {council.nice_name}", council.id,
    )  # fmt: skip
    db.session.commit()
    return membership


def parse_domains(text: str) -> tuple[list[str], list[str]]:
    """Domains from text (one a line, or separated by commas); and a message for each bad one."""
    domains: list[str] = []
    problems: list[str] = []
    for raw in re.split(r"[\s,;]+", text.strip().lower()):
        domain = raw.removeprefix("@").rstrip(".")
        if not domain:
            continue
        if not DOMAIN_PATTERN.match(domain):
            problems.append(f"{raw!r} is not a domain name, like kingston.gov.uk")
        elif shared := why_shared(domain):
            problems.append(shared)
        elif domain not in domains:
            domains.append(domain)
    return domains, problems


def domains_held_elsewhere(council: Council, domains: list[str]) -> list[str]:
    """A message for each domain another council holds, approved: a domain belongs to one
    council, or its staff could be let into the wrong one. Claims still waiting do not block
    another council's claim (the first to ask may not be the owner): a registry admin decides
    between them, and approving one refuses the others."""
    rows = db.session.execute(
        select(CouncilDomain.domain, Council.nice_name)
        .join(Council, Council.id == CouncilDomain.council_id)
        .where(
            CouncilDomain.domain.in_(domains),
            CouncilDomain.council_id != council.id,
            CouncilDomain.status == "approved",
        )
        .order_by(CouncilDomain.domain)
    ).all()
    return [f"{domain} is already registered to {name}" for domain, name in rows]


def domains_refused_before(council: Council, domains: list[str]) -> list[str]:
    """A message for each domain a registry admin has already refused this council."""
    refused = db.session.scalars(
        select(CouncilDomain.domain).where(
            CouncilDomain.council_id == council.id,
            CouncilDomain.domain.in_(domains),
            CouncilDomain.status == "refused",
        )
    )
    return [f"{domain} was refused by the registry's administrators" for domain in refused]


def save_council_domains(council: Council, text: str, actor: User) -> list[str]:
    """Register the domains in `text` (one a line, or separated by commas) as the council's,
    replacing its list, once each is a real domain, not shared, that no other council holds;
    raises MembershipError naming every problem. A council admin's new domains wait for a
    registry admin; a registry admin's are approved at once."""
    domains, problems = parse_domains(text)
    problems += domains_held_elsewhere(council, domains)
    if not is_admin(actor):
        problems += domains_refused_before(council, domains)
    if problems:
        raise MembershipError("; ".join(problems))
    # The same list saved twice at once (a double click): the second finds the rows there.
    retry_on_conflict(lambda: set_council_domains(council, domains, actor))
    return domains


def set_council_domains(council: Council, domains: list[str], actor: User) -> None:
    """Replace the council's email domains. New ones are pending unless the actor is a registry
    admin; refused ones stay on record."""
    approve = is_admin(actor)
    current = {row.domain: row for row in council_domain_records(council)}
    for domain, row in current.items():
        if domain not in domains and row.status != "refused":
            db.session.delete(row)
    added: list[str] = []
    for domain in domains:
        record = current.get(domain)
        if record is None:
            record = CouncilDomain(
                council_id=council.id, domain=domain, status="pending", added_by_id=actor.id
            )
            db.session.add(record)
            added.append(domain)
        if approve and record.status != "approved":
            record.status, record.decided_by_id, record.decided_at = "approved", actor.id, utcnow()
    record_audit(
        actor, "set-domains", "council", council.code, council.nice_name, council.id,
        domains=domains, added=added, approved=approve,
    )  # fmt: skip
    db.session.commit()


@dataclass(frozen=True)
class PendingDomain:
    record: CouncilDomain
    also_claimed_by: list[str]  # other councils waiting for the same domain


def pending_domains() -> list[PendingDomain]:
    """Every council's domains waiting for a registry admin, oldest first, each with the other
    councils that have asked for it too."""
    rows = list(
        db.session.scalars(
            select(CouncilDomain)
            .where(CouncilDomain.status == "pending")
            .options(selectinload(CouncilDomain.council), selectinload(CouncilDomain.added_by))
            .order_by(CouncilDomain.id)
        )
    )
    return [
        PendingDomain(
            row,
            [o.council.nice_name for o in rows if o.domain == row.domain and o.id != row.id],
        )
        for row in rows
    ]


def decide_domain(domain_id: int, approve: bool, actor: User) -> CouncilDomain:
    """A registry admin approves or refuses a council's pending domain. Approving one refuses
    every other council's pending claim to it."""
    row = db.session.get(CouncilDomain, domain_id)
    if row is None or row.status != "pending":
        raise MembershipError("There is no such domain waiting for a decision")
    if row.added_by_id == actor.id:
        raise MembershipError("Another administrator must decide a domain you added")
    if approve:
        shared = why_shared(row.domain)
        problems = [shared] if shared else []
        problems += domains_held_elsewhere(row.council, [row.domain])
        if problems:
            raise MembershipError("; ".join(problems))
    claims = [row]
    if approve:
        claims += db.session.scalars(
            select(CouncilDomain).where(
                CouncilDomain.domain == row.domain,
                CouncilDomain.id != row.id,
                CouncilDomain.status == "pending",
            )
        )
    for claim in claims:
        claim.status = "approved" if claim is row and approve else "refused"
        claim.decided_by_id, claim.decided_at = actor.id, utcnow()
        record_audit(
            actor, claim.status, "council-domain", claim.domain, claim.council.nice_name,
            claim.council_id,
        )  # fmt: skip
    db.session.commit()
    return row
