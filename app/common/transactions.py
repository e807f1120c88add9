"""One database transaction around work whose own steps commit (services commit per action)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy.orm import Session

from app.extensions import db


@contextlib.contextmanager
def all_or_nothing(**info: object) -> Iterator[Session]:
    """Run the block in one transaction: `db.session` is a session whose commits become
    savepoints, and the whole commits when the block ends, or rolls back if it raises.

    `info` goes into the session's `info` (e.g. to tell commit hooks to wait for the end)."""
    db.session.remove()
    connection = db.engine.connect()
    outer = connection.begin()
    if connection.dialect.name == "sqlite":
        # pysqlite begins a transaction only before a write, so a first SAVEPOINT would start
        # one of its own, and releasing that savepoint would commit everything before it.
        connection.exec_driver_sql("BEGIN")
    session = Session(bind=connection, join_transaction_mode="create_savepoint", info=info)
    db.session.registry.set(session)  # type: ignore[arg-type]
    try:
        yield session
        session.flush()
        outer.commit()
    except BaseException:
        outer.rollback()
        raise
    finally:
        session.close()
        db.session.registry.clear()
        connection.close()
