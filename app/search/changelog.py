"""The search change log: how the Whoosh index of every server keeps in step with one database.

Each server keeps its own Whoosh index on local disk. A transaction that changes what a pilot's
search document holds also writes one `search_changes` row per pilot it touched, inside itself:
a rolled-back change leaves no row, a committed one always has its rows (sync.py writes them
just before the commit). Each index remembers the highest change id it has applied (its mark,
whoosh/index.py); before answering a search a server reads the log's head and applies the
changes after its mark (indexing.catch_up).

Ids follow commit order: PostgreSQL hands out sequence numbers when a row is inserted, not when
it commits, so two writers could commit ids 11 then 10 and a server reading in between would
move its mark past 10 for ever. The writer therefore takes a transaction-scoped advisory lock
just before inserting its rows, held until its commit (a few milliseconds at the very end of
the transaction). SQLite allows one writer at a time anyway; its table is AUTOINCREMENT so that
ids are never reused after rows are deleted.

The log is kept for `SEARCH_LOG_KEEP_DAYS` (7 by default): every `PRUNE_EVERY`th logged commit
of a process deletes older rows. Pruning leaves a marker, a row without a pilot, at the newest
pruned id: an index whose mark is below a marker has missed changes it can no longer read, and
rebuilds itself from the database. A bulk load that does not itemise its changes (the demo
loader) writes a marker too, so every other server rebuilds after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Integer,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

# Any fixed number: the key of the advisory lock that orders the log's writers (PostgreSQL).
ADVISORY_LOCK_KEY = 0x5EA2C4
KEEP_DAYS = 7
PRUNE_EVERY = 100


class SearchChange(db.Model):  # type: ignore[name-defined]
    """One committed change to one pilot's search document (no pilot: a rebuild marker)."""

    __tablename__ = "search_changes"
    __table_args__: ClassVar[dict[str, object]] = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pilot_id: Mapped[int | None] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


@dataclass
class Changes:
    """What an index must apply to reach `head`; `rebuild` when it cannot catch up row by row."""

    head: int
    pilot_ids: set[int]
    rebuild: bool = False


def record(connection: Connection, pilot_ids: set[int | None], now: datetime | None = None) -> None:
    """Log the pilots' changes inside the connection's transaction (None: a rebuild marker)."""
    if not pilot_ids:
        return
    if connection.dialect.name == "postgresql":  # held until the commit: ids in commit order
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    when = now or datetime.now(UTC)
    connection.execute(
        insert(SearchChange.__table__),
        [{"pilot_id": pilot_id, "changed_at": when} for pilot_id in sorted(pilot_ids, key=str)],
    )


def head(connection: Connection) -> int:
    """The newest change id, 0 when the log is empty (one look at the primary key's index)."""
    return connection.scalar(select(func.max(SearchChange.id))) or 0


def changes_after(connection: Connection, mark: int) -> Changes:
    """The pilots changed after `mark`, in one statement, so that a prune committing meanwhile
    cannot slip between reading the rows and seeing its marker."""
    rows = connection.execute(
        select(SearchChange.id, SearchChange.pilot_id).where(SearchChange.id > mark)
    ).all()
    if not rows:
        return Changes(head=mark, pilot_ids=set())
    ids = {pilot_id for _, pilot_id in rows}
    return Changes(
        head=max(change_id for change_id, _ in rows),
        pilot_ids={i for i in ids if i is not None},
        rebuild=None in ids,
    )


def behind(connection: Connection, mark: int) -> int:
    """How many logged changes an index at `mark` has yet to apply."""
    return connection.scalar(select(func.count()).where(SearchChange.id > mark)) or 0


def prune(connection: Connection, keep_days: float, now: datetime | None = None) -> int:
    """Delete changes older than `keep_days`, leaving a marker at the newest one deleted;
    returns the marker's id (0 when nothing was old enough). The caller commits."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    newest_old = connection.scalar(
        select(func.max(SearchChange.id)).where(SearchChange.changed_at < cutoff)
    )
    if newest_old is None:
        return 0
    connection.execute(
        update(SearchChange).where(SearchChange.id == newest_old).values(pilot_id=None)
    )
    connection.execute(delete(SearchChange).where(SearchChange.id < newest_old))
    return int(newest_old)


class LogReader:
    """The log as an index reads it: each call on a connection of its own, outside any session
    (it runs after commits, and before searches whose session must not start a transaction)."""

    def __init__(self, engine: Engine, reader: Engine | None = None) -> None:
        self.engine = engine  # for pruning, in a transaction
        self.reader = reader or engine  # for reading: each read is one statement

    def head(self) -> int:
        with self.reader.connect() as connection:
            return head(connection)

    def after(self, mark: int) -> Changes:
        with self.reader.connect() as connection:
            return changes_after(connection, mark)

    def behind(self, mark: int) -> int:
        with self.reader.connect() as connection:
            return behind(connection, mark)

    def prune(self, keep_days: float) -> int:
        with self.engine.begin() as connection:
            return prune(connection, keep_days)
