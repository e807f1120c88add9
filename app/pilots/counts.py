"""Counts of public pilots, kept in step with every write.

The home page (by status and verdict), /pillars and every pillar's listing (by pillar), the
council directory (pilots each council leads) and /map (each council's pilots led and
partnered in, by verdict) showed counts over the whole registry, worked out on every request:
/pillars took 0.16 s of CPU at 100,000 pilots, counting every filing. They only change when a
pilot is created, deleted, made public, changes status, verdict or lead council, or gains or
loses a pillar or a partner, so a flush that does one of those counts again the few counts it
touched, in the same transaction (each through an index), into `pilot_counts`
(models.PilotCount); pages read them as they read any row.

On PostgreSQL two transactions could each count without seeing the other's new pilot and both
store one too few: a writer first locks the counts it will rewrite, and counts once it holds
them (each statement sees what was committed before it began, under READ COMMITTED).
tests/pilots/test_counts.py writes every kind of change and compares with counting from
scratch."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, event, func, inspect, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.extensions import db
from app.pillars.service import PILLAR_SLUGS
from app.pilots.models import (
    PUBLIC_STATUSES,
    VERDICTS,
    Pilot,
    PilotCount,
    PilotPillar,
    pilot_partners,
)

Key = tuple[str, str]  # (facet, value)
# What /map shows without a filter: each council's concluded pilots it led by verdict ("led-v",
# "<council id>:<verdict>"), and the public pilots it is listed a partner in ("partner",
# "<council id>"), and those concluded by verdict ("partner-v", "<council id>:<verdict>").
MAP_FACETS = ("led-v", "partner", "partner-v")
_installed = False


def _count(facet: str, value: str) -> Select[Any]:
    """The count itself, through an index."""
    public = Pilot.status.in_(PUBLIC_STATUSES)
    if facet == "status":
        return select(func.count()).where(Pilot.status == value)
    if facet == "verdict":
        return select(func.count()).where(Pilot.status == "concluded", Pilot.verdict == value)
    if facet == "lead":
        return select(func.count()).where(
            Pilot.lead_council_id == int(value), Pilot.status.in_(PUBLIC_STATUSES)
        )
    if facet in MAP_FACETS:
        council_id, _, verdict = value.partition(":")
        where = [Pilot.status == "concluded", Pilot.verdict == verdict] if verdict else [public]
        if facet == "led-v":
            return select(func.count()).where(Pilot.lead_council_id == int(council_id), *where)
        return (
            select(func.count())
            .select_from(pilot_partners)
            .join(Pilot, Pilot.id == pilot_partners.c.pilot_id)
            .where(pilot_partners.c.council_id == int(council_id), *where)
        )
    # Every filing under the pillar, less the drafts' (few, found by the status index): joining
    # each filing to its pilot to read the status read every pilot row.
    filed = select(func.count()).where(PilotPillar.pillar_slug == value)
    drafts = (
        select(func.count())
        .select_from(PilotPillar)
        .join(Pilot, Pilot.id == PilotPillar.pilot_id)
        .where(PilotPillar.pillar_slug == value, Pilot.status == "draft")
    )
    return select(filed.scalar_subquery() - drafts.scalar_subquery())


def _counted(connection: Connection, keys: list[Key]) -> dict[Key, int]:
    return {(facet, value): connection.scalar(_count(facet, value)) or 0 for facet, value in keys}


def _upsert(connection: Connection, counts: dict[Key, int]) -> None:
    table = PilotCount.__table__
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    rows = [{"facet": f, "value": v, "pilots": n} for (f, v), n in counts.items()]
    upsert = dialect.insert(table).values(rows)
    connection.execute(
        upsert.on_conflict_do_update(
            index_elements=[table.c.facet, table.c.value], set_={"pilots": upsert.excluded.pilots}
        )
    )


def refresh_counts(connection: Connection, keys: Iterable[Key]) -> None:
    """Count these again, in the caller's transaction."""
    wanted = sorted(set(keys))
    if not wanted:
        return
    if connection.dialect.name == "postgresql":
        table = PilotCount.__table__
        insert = postgresql.insert(table).values(
            [{"facet": f, "value": v, "pilots": 0} for f, v in wanted]
        )
        connection.execute(insert.on_conflict_do_nothing())
        connection.execute(
            select(table.c.facet)
            .where(tuple_(table.c.facet, table.c.value).in_(wanted))
            .order_by(table.c.facet, table.c.value)
            .with_for_update()
        )
    _upsert(connection, _counted(connection, wanted))


def all_counts() -> dict[Key, int]:
    """Every count from scratch, grouped (none of them zero)."""
    public = Pilot.status.in_(PUBLIC_STATUSES)
    grouped = [
        ("status", select(Pilot.status, func.count()).where(public).group_by(Pilot.status)),
        (
            "verdict",
            select(Pilot.verdict, func.count())
            .where(Pilot.status == "concluded", Pilot.verdict.in_(VERDICTS))
            .group_by(Pilot.verdict),
        ),
        (
            "lead",
            select(Pilot.lead_council_id, func.count())
            .where(public)
            .group_by(Pilot.lead_council_id),
        ),
        (
            "pillar",
            select(PilotPillar.pillar_slug, func.count())
            .join(Pilot, Pilot.id == PilotPillar.pilot_id)
            .where(public)
            .group_by(PilotPillar.pillar_slug),
        ),
    ]
    concluded = (Pilot.status == "concluded", Pilot.verdict.in_(VERDICTS))
    partnered = select(pilot_partners.c.council_id, Pilot.verdict, func.count()).join(
        Pilot, Pilot.id == pilot_partners.c.pilot_id
    )
    by_verdict = [
        (
            "led-v",
            select(Pilot.lead_council_id, Pilot.verdict, func.count())
            .where(*concluded)
            .group_by(Pilot.lead_council_id, Pilot.verdict),
        ),
        (
            "partner",
            select(pilot_partners.c.council_id, func.count())
            .join(Pilot, Pilot.id == pilot_partners.c.pilot_id)
            .where(public)
            .group_by(pilot_partners.c.council_id),
        ),
        (
            "partner-v",
            partnered.where(*concluded).group_by(pilot_partners.c.council_id, Pilot.verdict),
        ),
    ]
    return {
        (facet, ":".join(str(v) for v in row[:-1])): row[-1]
        for facet, query in (*grouped, *by_verdict)
        for row in db.session.execute(query)
        if row[-1]
    }


def refresh_all_counts() -> None:
    """Count everything again, in the session's transaction (the caller commits)."""
    connection = db.session.connection()
    connection.execute(delete(PilotCount.__table__))
    counts = all_counts()
    if counts:
        _upsert(connection, counts)


def _values(state: Any, key: str) -> set[Any]:
    attr = state.attrs[key]
    return {attr.value, *attr.history.deleted} - {None}


def touched_counts(session: Session) -> set[Key]:
    """The counts this flush may have changed."""
    keys: set[Key] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, PilotPillar):
            keys.add(("pillar", obj.pillar_slug))
        if not isinstance(obj, Pilot):
            continue
        state: Any = inspect(obj)
        # Filings replaced through the relationship go as orphans, never in session.deleted.
        links = state.attrs["pillar_links"].history
        keys |= {("pillar", link.pillar_slug) for link in (*links.added, *links.deleted)}
        keys |= _partner_keys(session, obj, state, changed=False)
        whole = obj in session.new or obj in session.deleted
        changed = [k for k in ("status", "verdict", "lead_council_id", "lead_council")
                   if state.attrs[k].history.has_changes()]  # fmt: skip
        if not whole and not changed:
            continue
        statuses = _values(state, "status")
        keys |= {("status", s) for s in statuses if s in PUBLIC_STATUSES}
        keys |= {("verdict", v) for v in _values(state, "verdict") if v in VERDICTS}
        leads = _values(state, "lead_council_id")
        leads |= {c.id for c in _values(state, "lead_council")}
        keys |= {("lead", str(c)) for c in leads}
        keys |= {("led-v", f"{c}:{v}") for c in leads for v in VERDICTS}
        keys |= _partner_keys(session, obj, state, changed=True)
        if whole or "draft" in statuses:  # in or out of every public count of its pillars
            keys |= {("pillar", slug) for slug in PILLAR_SLUGS}
    return keys


def _partner_keys(session: Session, pilot: Pilot, state: Any, changed: bool) -> set[Key]:
    """The map's partner counts of the councils added to or taken from the pilot's partners;
    when its status, verdict or lead changed (`changed`), of every council it lists."""
    councils: set[int] = set()
    if "partners" in state.dict:  # loaded: its history says who came and went
        history = state.attrs["partners"].history
        councils |= {c.id for c in (*history.added, *history.deleted)}
        if changed:
            councils |= {c.id for c in history.unchanged}
    elif changed and pilot.id is not None:  # never loaded, so unchanged: as stored
        councils |= set(
            session.connection().scalars(
                select(pilot_partners.c.council_id).where(pilot_partners.c.pilot_id == pilot.id)
            )
        )
    councils.discard(None)  # type: ignore[arg-type]
    keys = {("partner", str(c)) for c in councils}
    return keys | {("partner-v", f"{c}:{v}") for c in councils for v in VERDICTS}


def _after_flush(session: Session, flush_context: Any) -> None:
    keys = touched_counts(session)
    if keys:
        refresh_counts(session.connection(), keys)


def install() -> None:
    """Count again after every flush of every session (once per process)."""
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _after_flush)
        _installed = True


def counts_of(facet: str) -> dict[str, int]:
    """Value → public pilots, for one facet."""
    return {
        value: pilots
        for value, pilots in db.session.execute(
            select(PilotCount.value, PilotCount.pilots).where(
                PilotCount.facet == facet, PilotCount.pilots > 0
            )
        )
    }


def count_of(facet: str, value: str) -> int:
    return (
        db.session.scalar(
            select(PilotCount.pilots).where(PilotCount.facet == facet, PilotCount.value == value)
        )
        or 0
    )
