"""What the domains above pilots add to a pilot, without pilots importing them.

Pilots sit low in the layers (STYLE.md 1): funding, search, and later appraisals and
prioritisation rounds all know about pilots, never the other way round. Where a pilot's page or
its frozen record must include something of theirs, the higher domain registers it here from
its own `init_app`:

- a **page section**: a template shown in a slot of the pilot page ("sidebar") or of its results
  page ("results": say, an appraisal's forecast beside the outturn), with the context it needs
  for this pilot (or None: nothing to show for it);
- a **snapshot contributor**: a JSON value (say, an appraisal's hash) frozen into every
  version of the pilot's record at registration and amendment, under its own key, so that
  `flask history verify` covers it;
- a **linked data contributor**: a schema.org property (say, `funder`) of the pilot's JSON-LD
  on its public page, or None when it has nothing to say;
- the **report due days** source: days after its end that a pilot's outcome report is due,
  where something other than the registry default sets it (a funding programme's conditions),
  as a function of pilot ids and as a query the overdue listings join in SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

if TYPE_CHECKING:
    from sqlalchemy import Select

    from app.pilots.models import Pilot

SectionContext = Callable[["Pilot"], dict[str, Any] | None]
SnapshotContributor = Callable[["Pilot"], Any]
LinkedDataContributor = Callable[["Pilot"], Any]
DueDaysSource = Callable[[list[int]], dict[int, int]]
DueDaysQuery = Callable[[], "Select[*tuple[Any, ...]]"]
SLOTS = ("sidebar", "results")


@dataclass(frozen=True)
class PageSection:
    template: str
    context: SectionContext


@dataclass
class Contributions:
    sections: dict[str, list[PageSection]] = field(default_factory=dict)
    snapshot: dict[str, SnapshotContributor] = field(default_factory=dict)
    linked_data: dict[str, LinkedDataContributor] = field(default_factory=dict)
    due_days: DueDaysSource | None = None
    due_days_query: DueDaysQuery | None = None


def _of(app: Flask) -> Contributions:
    return app.extensions.setdefault("pilots.contributions", Contributions())  # type: ignore[no-any-return]


def add_page_section(app: Flask, slot: str, template: str, context: SectionContext) -> None:
    """Show `template` in `slot` of every pilot page for which `context(pilot)` is not None."""
    if slot not in SLOTS:
        raise ValueError(f"no slot {slot!r} on the pilot page: use one of {', '.join(SLOTS)}")
    _of(app).sections.setdefault(slot, []).append(PageSection(template, context))


def page_sections(pilot: Pilot, slot: str) -> list[tuple[str, dict[str, Any]]]:
    """The templates to show in `slot` for this pilot, each with its context, in the order
    they were registered."""
    shown = []
    for section in _of(current_app).sections.get(slot, []):
        context = section.context(pilot)
        if context is not None:
            shown.append((section.template, context))
    return shown


def add_snapshot_contributor(app: Flask, key: str, contributor: SnapshotContributor) -> None:
    """Freeze `contributor(pilot)` (a JSON value; None when it has nothing) under `key` in
    every version of the pilot's record."""
    snapshot = _of(app).snapshot
    if key in snapshot:
        raise ValueError(f"the snapshot key {key!r} is taken")
    snapshot[key] = contributor


def contributed_snapshot(pilot: Pilot) -> dict[str, Any]:
    """Every contributor's value for this pilot, by key."""
    return {key: value(pilot) for key, value in sorted(_of(current_app).snapshot.items())}


def add_linked_data_contributor(app: Flask, key: str, contributor: LinkedDataContributor) -> None:
    """Add `contributor(pilot)` (a JSON value; None when it has nothing) as the schema.org
    property `key` of the JSON-LD on every public pilot's page."""
    linked_data = _of(app).linked_data
    if key in linked_data:
        raise ValueError(f"the linked data property {key!r} is taken")
    linked_data[key] = contributor


def contributed_linked_data(pilot: Pilot) -> dict[str, Any]:
    """Every linked data contributor's value for this pilot that is not None, by property."""
    values = {key: value(pilot) for key, value in sorted(_of(current_app).linked_data.items())}
    return {key: value for key, value in values.items() if value is not None}


def set_report_due_days_source(app: Flask, source: DueDaysSource) -> None:
    """`source(pilot ids)` → days after the end that each pilot's report is due, where it
    overrides the registry default."""
    _of(app).due_days = source


def report_due_days(pilot_ids: list[int]) -> dict[int, int]:
    source = _of(current_app).due_days
    return source(pilot_ids) if source and pilot_ids else {}


def set_report_due_days_query(app: Flask, query: DueDaysQuery) -> None:
    """`query()` → a SELECT of (pilot_id, days): the same overrides as the source above, for
    the listings that work out every pilot's due date in one SQL statement."""
    _of(app).due_days_query = query


def report_due_days_query() -> Select[*tuple[Any, ...]] | None:
    query = _of(current_app).due_days_query
    return query() if query else None
