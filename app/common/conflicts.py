"""Creating a row whose unique key was looked up first (a slug, a membership, an account).

Between the look-up and the insert another request can take the key: a double click sends two
identical requests at once, both find the slug free, and the second insert breaks the unique
constraint (PostgreSQL's `UniqueViolation`, SQLite's `UNIQUE constraint failed`). The database's
constraint is the only check that holds across workers, so a create runs as one transaction that
is tried again from the start when it clashes: the look-up then sees the other request's row and
takes the next slug, or finds the membership or account already there."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from app.extensions import db

T = TypeVar("T")
ATTEMPTS = 3


def retry_on_conflict(create: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Run `create` (one transaction, ending in a commit) again from its look-ups when another
    request committed the same unique key first; after `attempts` clashes the error stands."""
    for attempt in range(1, attempts + 1):
        try:
            return create()
        except IntegrityError:
            db.session.rollback()
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
