"""Open data exports: public pilots and awards, read in batches so a large registry streams
rather than builds in memory. Drafts are never exported."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased, selectinload

from app.common.csv_output import csv_lines as spreadsheet_safe_csv_lines
from app.common.money import pounds_text
from app.common.web import absolute_url
from app.councils.models import Council
from app.councils.service import council_by_code
from app.extensions import db
from app.funding.models import Award, Programme
from app.funding.service import programme_by_slug
from app.pillars.service import pillar_by_slug
from app.pilots.models import (
    PUBLIC_STATUSES,
    VERDICTS,
    Pilot,
    PilotPillar,
    PilotTag,
    pilot_partners,
)
from app.pilots.service import PilotFilters, filtered_public_pilots
from app.search.service import SearchInputError, matching_pilot_ids

BATCH_SIZE = 500


# The /search parameters that only the search service can answer.
SEARCH_ONLY = ("q", "region", "cost", "year", "council_type", "programme")
MAX_EXPORTED = 1_000_000


class FilterError(ValueError):
    """A filter names something that does not exist; the message says what to do."""


@dataclass
class ExportFilters(PilotFilters):
    """The /pilots filters, and the pilots a search narrowed them to (None: no search)."""

    pilot_ids: frozenset[int] | None = None


def parse_filters(args: dict[str, str]) -> tuple[ExportFilters, Programme | None]:
    """The same filters as /search (council, pillar, status, verdict, q, region, cost, year,
    programme); awards are also limited to the programme."""
    filters = ExportFilters(
        council=args.get("council") or None,
        pillar=args.get("pillar") or None,
        status=args.get("status") or None,
        verdict=args.get("verdict") or None,
    )
    if filters.council and (len(filters.council) > 10 or not council_by_code(filters.council)):
        raise FilterError(f"There is no council with code {filters.council!r}.")
    if filters.pillar and pillar_by_slug(filters.pillar) is None:
        raise FilterError(f"There is no pillar {filters.pillar!r}.")
    if filters.status and filters.status not in PUBLIC_STATUSES:
        raise FilterError(
            f"There is no public status {filters.status!r}: use one of "
            + ", ".join(PUBLIC_STATUSES)
        )
    if filters.verdict and filters.verdict not in VERDICTS:
        raise FilterError(f"There is no verdict {filters.verdict!r}: use one of {VERDICTS}.")
    if any(args.get(name) for name in SEARCH_ONLY):
        try:
            ids = matching_pilot_ids(args, limit=MAX_EXPORTED, sort="newest")
        except SearchInputError as error:
            raise FilterError(str(error)) from None
        filters.pilot_ids = frozenset(ids)
    programme = None
    if args.get("programme"):
        programme = programme_by_slug(args["programme"][:100])
        if programme is None:
            raise FilterError(f"There is no programme {args['programme']!r}.")
    return filters, programme


def _in_batches(query: Select[Any], id_column: Any) -> Iterator[Any]:
    """Rows of `query` in id order, BATCH_SIZE at a time (keyset paging, stable under writes)."""
    last = 0
    while True:
        batch = list(
            db.session.scalars(query.where(id_column > last).order_by(id_column).limit(BATCH_SIZE))
        )
        yield from batch
        if len(batch) < BATCH_SIZE:
            return
        last = batch[-1].id


def _matching(filters: ExportFilters) -> Select[tuple[Pilot]]:
    query = filtered_public_pilots(filters)
    if filters.pilot_ids is not None:
        query = query.where(Pilot.id.in_(filters.pilot_ids))
    return query


@dataclass(frozen=True)
class ExportedPilot:
    """What pilots.csv says of a pilot, read as plain rows: no ORM objects (an export of
    33,000 pilots made 200,000 of them, most of its time), and a batch at a time in memory."""

    row: Any  # the pilot's own columns and its lead council's code and name
    partners: list[str]  # council codes, by council name
    pillars: list[str]
    tags: list[str]


def _lists_by_pilot(query: Select[int, str], ids: list[int]) -> dict[int, list[str]]:
    """(pilot id, value) rows of `query` for these pilots, as pilot id → values in order."""
    found: dict[int, list[str]] = {pid: [] for pid in ids}
    for pid, value in db.session.execute(query):
        found[pid].append(value)
    return found


def public_pilots(filters: ExportFilters) -> Iterator[ExportedPilot]:
    """Public pilots matching the filters, oldest first (by id), BATCH_SIZE at a time: their ids
    first (one query, from the indexes), then each batch one query for the pilots by id and one
    for each list (partners, pillars, tags). Paging the filtered query by keyset instead read
    every later pilot of each status to sort out the next batch: quadratic, 15 s at 33,000."""
    lead = aliased(Council)
    matching = db.session.scalars(
        _matching(filters).order_by(None).with_only_columns(Pilot.id).order_by(Pilot.id)
    ).all()
    columns = (
        select(
            Pilot.id,
            Pilot.slug,
            Pilot.title,
            lead.code.label("lead_code"),
            lead.nice_name.label("lead_name"),
            Pilot.status,
            Pilot.verdict,
            Pilot.summary,
            Pilot.hypothesis,
            Pilot.location,
            Pilot.planned_cost_pence,
            Pilot.actual_cost_pence,
            Pilot.start_date,
            Pilot.planned_end_date,
            Pilot.actual_end_date,
            Pilot.registered_at,
            Pilot.updated_at,
        )
        .select_from(Pilot)
        .join(lead, lead.id == Pilot.lead_council_id)
    )
    for start in range(0, len(matching), BATCH_SIZE):
        ids = list(matching[start : start + BATCH_SIZE])
        rows = db.session.execute(columns.where(Pilot.id.in_(ids)).order_by(Pilot.id)).all()
        partners = _lists_by_pilot(
            select(pilot_partners.c.pilot_id, Council.code)
            .join(Council, Council.id == pilot_partners.c.council_id)
            .where(pilot_partners.c.pilot_id.in_(ids))
            .order_by(pilot_partners.c.pilot_id, Council.nice_name),
            ids,
        )
        pillars = _lists_by_pilot(
            select(PilotPillar.pilot_id, PilotPillar.pillar_slug)
            .where(PilotPillar.pilot_id.in_(ids))
            .order_by(PilotPillar.pilot_id, PilotPillar.pillar_slug),
            ids,
        )
        tags = _lists_by_pilot(
            select(PilotTag.pilot_id, PilotTag.tag)
            .where(PilotTag.pilot_id.in_(ids))
            .order_by(PilotTag.pilot_id, PilotTag.tag),
            ids,
        )
        for row in rows:
            yield ExportedPilot(row, partners[row.id], pillars[row.id], tags[row.id])


def public_awards(filters: ExportFilters, programme: Programme | None = None) -> Iterator[Award]:
    """Awards to public pilots matching the filters, by award id."""
    pilots = _matching(filters).order_by(None).with_only_columns(Pilot.id)
    query = (
        select(Award)
        .where(Award.pilot_id.in_(pilots))
        .options(
            selectinload(Award.pilot).selectinload(Pilot.lead_council),
            selectinload(Award.programme),
            selectinload(Award.recipient),
        )
    )
    if programme is not None:
        query = query.where(Award.programme_id == programme.id)
    return _in_batches(query, Award.id)


def _money(pence: int | None) -> str:
    return "" if pence is None else pounds_text(pence)


def _iso(value: Any) -> str:
    return "" if value is None else value.isoformat()


PILOT_COLUMNS = (
    "slug", "title", "lead_council", "lead_council_name", "partner_councils", "status", "verdict",
    "pillars", "summary", "hypothesis", "location", "planned_cost_gbp", "actual_cost_gbp",
    "start_date", "planned_end_date", "actual_end_date", "registered_at", "updated_at", "tags",
    "url",
)  # fmt: skip


def pilot_row(pilot: ExportedPilot, url_prefix: str) -> list[str]:
    """One pilot as a pilots.csv row, in PILOT_COLUMNS order; its address is `url_prefix`
    (pilot_url_prefix()) and its slug."""
    row = pilot.row
    return [
        row.slug,
        row.title,
        row.lead_code,
        row.lead_name,
        ";".join(pilot.partners),
        row.status,
        row.verdict or "",
        ";".join(pilot.pillars),
        row.summary,
        row.hypothesis,
        row.location,
        _money(row.planned_cost_pence),
        _money(row.actual_cost_pence),
        _iso(row.start_date),
        _iso(row.planned_end_date),
        _iso(row.actual_end_date),
        _iso(row.registered_at),
        _iso(row.updated_at),
        ";".join(pilot.tags),
        url_prefix + quote(row.slug),
    ]


def pilot_url_prefix() -> str:
    """A pilot's public address up to its slug: worked out once, not by url_for per row."""
    marker = "__slug__"
    return absolute_url("pilots.show", slug=marker).removesuffix(marker)


AWARD_COLUMNS = (
    "award_id", "grant_id", "reference", "programme", "programme_name", "round", "funder_name",
    "funder_org_id", "pilot", "pilot_title", "pilot_status", "pilot_verdict", "recipient_council",
    "recipient_name", "recipient_org_id", "amount_awarded_gbp", "amount_disbursed_gbp",
    "award_date", "planned_start_date", "planned_end_date", "pilot_url",
)  # fmt: skip


# Written as bare numbers, never guarded with a `'`: a spreadsheet must be able to sum them.
NUMERIC_COLUMNS = frozenset(
    {
        "planned_cost_gbp", "actual_cost_gbp",
        "award_id", "amount_awarded_gbp", "amount_disbursed_gbp",
    }
)  # fmt: skip


def grant_id(award: Award) -> str:
    """The award's 360Giving identifier: 360G-<prefix>-<award id>, prefix from the settings."""
    prefix = str(current_app.config["THREESIXTYGIVING_PREFIX"])
    if not prefix.startswith("360G-"):
        prefix = f"360G-{prefix}"
    return f"{prefix}-{award.id}"


def award_row(award: Award) -> list[str]:
    """One award as an awards.csv row, in AWARD_COLUMNS order."""
    return [
        str(award.id),
        grant_id(award),
        award.reference,
        award.programme.slug,
        award.programme.name,
        award.programme.round,
        award.programme.funder_name,
        award.programme.funder_org_id,
        award.pilot.slug,
        award.pilot.title,
        award.pilot.status,
        award.pilot.verdict or "",
        award.recipient.code,
        award.recipient.official_name,
        award.recipient.org_id,
        pounds_text(award.amount_awarded_pence),
        pounds_text(award.amount_disbursed_pence),
        award.award_date.isoformat(),
        _iso(award.planned_start_date),
        _iso(award.planned_end_date),
        absolute_url("pilots.show", slug=award.pilot.slug),
    ]


def csv_lines(header: Iterable[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text a line at a time, safe to open in a spreadsheet; the money and id columns are
    written as bare numbers."""
    names = list(header)
    numeric = {i for i, name in enumerate(names) if name in NUMERIC_COLUMNS}
    return spreadsheet_safe_csv_lines(names, rows, numeric)
