"""Telling council admins that someone is waiting to join their council: the header and /account
show it, so a request is not left unseen until its asker gives up."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import Membership, User
from app.auth.service import council_ids_with_role, is_admin
from app.councils.models import Council
from app.extensions import db


def waiting_requests(user: User | None) -> list[tuple[Council, int]]:
    """Each council the user looks after (every council, for a registry admin) that has people
    waiting to join it, with how many, by name; nothing for anyone else."""
    if user is None:
        return []
    admin = is_admin(user)
    councils = council_ids_with_role(user, "council-admin")
    if not admin and not councils:
        return []
    query = (
        select(Council, func.count(Membership.id))
        .join(Membership, Membership.council_id == Council.id)
        .where(Membership.status == "pending", Membership.user_id != user.id)
        .group_by(Council.id)
        .order_by(Council.nice_name)
    )
    if not admin:
        query = query.where(Council.id.in_(councils))
    return [(council, count) for council, count in db.session.execute(query)]
