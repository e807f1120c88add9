"""Joining a council: requests, approval by its admins, and the council's email domains."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.auth.audit import record_audit
from app.auth.models import CouncilDomain, Membership, User
from app.auth.service import approved_memberships, is_admin
from app.common.conflicts import retry_on_conflict
from app.common.db_types import utcnow
from app.councils.models import Council
from app.extensions import db

DOMAIN_PATTERN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Anyone can have an address at these: registering one would let the public join a council.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com",
        "live.co.uk", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "aol.com",
        "protonmail.com", "proton.me", "btinternet.com", "sky.com", "gmx.com", "mail.com",
    }
)  # fmt: skip


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
    return list(
        db.session.scalars(
            select(CouncilDomain.domain)
            .where(CouncilDomain.council_id == council.id)
            .order_by(CouncilDomain.domain)
        )
    )


def email_domain(user: User) -> str:
    return user.email.rpartition("@")[2].lower() if "@" in user.email else ""


def request_membership(user: User, council: Council) -> Membership:
    """Ask to be an editor for the council. Approved at once when the user's verified email is
    at one of the council's registered domains; otherwise it waits for the council's admins.
    The same request sent twice at once is recorded once; the second is told it already was."""
    return retry_on_conflict(lambda: _request_membership(user, council))


def _request_membership(user: User, council: Council) -> Membership:
    existing = [m for m in user.memberships if m.council_id == council.id and m.role == "editor"]
    if existing and existing[0].status in ("approved", "pending"):
        word = "already an editor" if existing[0].status == "approved" else "already waiting"
        raise MembershipError(f"You are {word} for {council.nice_name}")
    automatic = user.email_verified and email_domain(user) in council_domains(council)
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
        elif domain in PUBLIC_EMAIL_DOMAINS:
            problems.append(f"{domain} is a public email service: anyone can have an address there")
        elif domain not in domains:
            domains.append(domain)
    return domains, problems


def domains_held_elsewhere(council: Council, domains: list[str]) -> list[str]:
    """A message for each domain another council has already registered: a domain belongs to
    one council, or its staff could be let into the wrong one."""
    rows = db.session.execute(
        select(CouncilDomain.domain, Council.nice_name)
        .join(Council, Council.id == CouncilDomain.council_id)
        .where(CouncilDomain.domain.in_(domains), CouncilDomain.council_id != council.id)
    ).all()
    return [f"{domain} is already registered to {name}" for domain, name in rows]


def save_council_domains(council: Council, text: str, actor: User) -> list[str]:
    """Register the domains in `text` (one a line, or separated by commas) as the council's,
    replacing its list, once each is a real, non-public domain that no other council holds;
    raises MembershipError naming every problem."""
    domains, problems = parse_domains(text)
    problems += domains_held_elsewhere(council, domains)
    if problems:
        raise MembershipError("; ".join(problems))
    # The same list saved twice at once (a double click): the second finds the rows there.
    retry_on_conflict(lambda: set_council_domains(council, domains, actor))
    return domains


def set_council_domains(council: Council, domains: list[str], actor: User) -> None:
    """Replace the council's registered email domains."""
    current = {
        row.domain: row
        for row in db.session.scalars(
            select(CouncilDomain).where(CouncilDomain.council_id == council.id)
        )
    }
    for domain, row in current.items():
        if domain not in domains:
            db.session.delete(row)
    for domain in domains:
        if domain not in current:
            db.session.add(CouncilDomain(council_id=council.id, domain=domain))
    record_audit(
        actor, "set-domains", "council", council.code, council.nice_name, council.id,
        domains=domains,
    )  # fmt: skip
    db.session.commit()
