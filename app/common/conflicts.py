"""Creating a row whose unique key was looked up first (a slug, a membership, an account).

Between the look-up and the insert another request can take the key: a double click sends two
identical requests at once, both find the slug free, and the second insert breaks the unique
constraint (PostgreSQL's `UniqueViolation`, SQLite's `UNIQUE constraint failed`). The database's
constraint is the only check that holds across workers, so a create runs as one transaction that
is tried again from the start when it clashes: the look-up then sees the other request's row and
takes the next slug, or finds the membership or account already there.

A change to a row that exists (registering a pilot, numbering its next event) instead holds the
row first, with `lock_row`: the second request waits for the first to commit, then reads the row
as the first left it, and is told the pilot is already registered rather than registering it twice
(or failing on the event's sequence number)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

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


def lock_row(row: Any, refresh: bool = True) -> None:
    """Hold `row` until this transaction ends; with `refresh`, read it again as it is now.

    An UPDATE that changes nothing takes the lock on both databases: PostgreSQL's row lock, and
    SQLite's write lock (which a SELECT ... FOR UPDATE would not take). Columns that stamp
    themselves on update are written back as they are. It runs on the session's connection, not
    through the session, so that the page cache does not count it as a change."""
    table = type(row).__table__
    keep = {c.name: c for c in table.columns if c.primary_key or c.onupdate is not None}
    db.session.connection().execute(table.update().where(table.c.id == row.id).values(keep))
    if refresh:
        db.session.refresh(row)
