"""`flask pilots import`: upsert pilots from the CSV in CONTRACT.md, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.common.db_types import utcnow
from app.common.importing import ImportFailed, RowError, csv_rows, parse_iso_date
from app.common.money import parse_pounds
from app.common.slugs import words_the_routes_use
from app.common.text import slugify, strip_control
from app.councils.models import Council
from app.extensions import db
from app.pillars.service import PILLAR_SLUGS
from app.pilots.events import record_event
from app.pilots.models import STATUSES, VERDICTS, Pilot
from app.pilots.rules import check_pilot_rules
from app.pilots.service import PilotData, apply_pilot_data

REQUIRED = ("title", "lead_council", "hypothesis", "pillars", "status")
OPTIONAL = (
    "slug", "partner_councils", "summary", "location", "planned_cost_gbp", "actual_cost_gbp",
    "start_date", "planned_end_date", "actual_end_date", "verdict", "tags", "case_study",
)  # fmt: skip
FIELD_COLUMNS = {
    "planned_end_date": "planned_end_date",
    "actual_end_date": "actual_end_date",
    "partners": "partner_councils",
    "planned_cost_pence": "planned_cost_gbp",
    "actual_cost_pence": "actual_cost_gbp",
    "pillars": "pillars",
}


@dataclass
class ParsedRow:
    line: int
    slug: str
    status: str
    verdict: str | None
    data: PilotData


@dataclass
class PilotImportSummary:
    created: int
    updated: int
    unchanged: int


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(";") if part.strip()]


def _pounds(raw: str, column: str, errors: list[str]) -> int | None:
    """Pounds as the pilots export writes them (`12500` or `12500.50`) or as people type them
    (`£12,500`), into pence, through the one parser every money field uses."""
    raw = raw.strip()
    if not raw:
        return None
    if raw.startswith("-"):
        errors.append(f"{column} is negative ({raw}); costs cannot be negative")
        return None
    try:
        return parse_pounds(raw)
    except ValueError as error:
        errors.append(f"{column} {raw!r}: {error}")
        return None


def _parse(row: dict[str, str], councils: dict[str, Council]) -> tuple[Any, list[str]]:
    errors: list[str] = []
    value = {k: strip_control(v or "").strip() for k, v in row.items() if k is not None}
    for column in REQUIRED:
        if not value.get(column):
            errors.append(f"{column} is required but empty")
    title = value.get("title", "")
    slug = slugify(value.get("slug") or title)
    if value.get("slug") and slug != value["slug"]:
        errors.append(f"slug {value['slug']!r} must be lower-case letters, digits and hyphens")
    if slug in words_the_routes_use("/pilots/"):
        errors.append(
            f"slug {slug!r} is a word the registry's addresses use (/pilots/{slug}): "
            "give the row a slug of its own"
        )
    tags = [t.lower() for t in _split(value.get("tags", ""))]
    lead_code = value.get("lead_council", "").upper()
    lead = councils.get(lead_code)
    if lead_code and lead is None:
        errors.append(f"lead_council {lead_code!r} is not a known council code")
    partners = []
    for code in _split(value.get("partner_councils", "")):
        council = councils.get(code.upper())
        if council is None:
            errors.append(f"partner_councils: {code!r} is not a known council code")
        else:
            partners.append(council)
    pillars = _split(value.get("pillars", ""))
    for pillar in pillars:
        if pillar not in PILLAR_SLUGS:
            errors.append(f"pillars: {pillar!r} is not a pillar; use {', '.join(PILLAR_SLUGS)}")
    status = value.get("status", "")
    if status and status not in STATUSES:
        errors.append(f"status {status!r} is not one of {', '.join(STATUSES)}")
    verdict = value.get("verdict") or None
    if verdict and verdict not in VERDICTS:
        errors.append(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    if verdict and status != "concluded":
        errors.append("verdict is given but only a concluded pilot has one")
    if status == "concluded" and not verdict:
        errors.append("a concluded pilot needs a verdict (proved, disproved or inconclusive)")

    def date_in(column: str) -> date | None:
        return parse_iso_date(value.get(column, ""), column, errors)

    data = PilotData(
        title=title,
        hypothesis=value.get("hypothesis", ""),
        lead_council=lead,  # type: ignore[arg-type]
        pillars=list(dict.fromkeys(pillars)),
        summary=value.get("summary", ""),
        case_study=value.get("case_study", ""),
        partners=list(dict.fromkeys(partners)),
        location=value.get("location", ""),
        tags=tags,
        planned_cost_pence=_pounds(value.get("planned_cost_gbp", ""), "planned_cost_gbp", errors),
        actual_cost_pence=_pounds(value.get("actual_cost_gbp", ""), "actual_cost_gbp", errors),
        start_date=date_in("start_date"),
        planned_end_date=date_in("planned_end_date"),
        actual_end_date=date_in("actual_end_date"),
    )
    for name, message in check_pilot_rules(data).items():
        errors.append(f"{FIELD_COLUMNS.get(name, name)}: {message}")
    return ParsedRow(0, slug, status, verdict, data), errors


def parse_pilot_csv(text: str) -> list[ParsedRow]:
    """Every row parsed, or ImportFailed naming each bad row by its line number."""
    columns, csv_lines = csv_rows(text)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ImportFailed([], "the file has no column " + ", ".join(missing))
    unknown = [c for c in columns if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise ImportFailed([], "unknown column " + ", ".join(unknown))
    councils = {c.code: c for c in db.session.scalars(select(Council))}
    rows: list[ParsedRow] = []
    problems: list[RowError] = []
    seen: dict[str, int] = {}
    for csv_line in csv_lines:
        parsed, errors = _parse(csv_line.values, councils)
        parsed.line = csv_line.line
        errors = csv_line.problems + errors
        if parsed.slug and parsed.slug in seen:
            errors.append(f"slug {parsed.slug!r} is already used on line {seen[parsed.slug]}")
        seen.setdefault(parsed.slug, csv_line.line)
        problems.extend(RowError(csv_line.line, e) for e in errors)
        rows.append(parsed)
    if problems:
        raise ImportFailed(problems)
    return rows


def _snapshot(pilot: Pilot) -> tuple[Any, ...]:
    return (
        pilot.title, pilot.hypothesis, pilot.lead_council_id, tuple(sorted(pilot.pillars)),
        pilot.summary, pilot.case_study, tuple(sorted(c.id for c in pilot.partners)),
        pilot.location, tuple(sorted(pilot.tags)), pilot.planned_cost_pence,
        pilot.actual_cost_pence, pilot.start_date, pilot.planned_end_date, pilot.actual_end_date,
        pilot.status, pilot.verdict,
    )  # fmt: skip


def _lifecycle_problems(pilot: Pilot, row: ParsedRow) -> list[str]:
    """Why a row may not update an existing pilot: an import never moves a pilot through its
    lifecycle or rewrites what registration froze; those go through the tracker, in the open."""
    problems = []
    if row.status != pilot.status:
        problems.append(
            f"status: pilot {pilot.slug} is {pilot.status}; an import cannot change its status "
            f"to {row.status} (use the pilot's page)"
        )
    if row.verdict != pilot.verdict:
        problems.append(
            f"verdict: pilot {pilot.slug}'s verdict changes only by an amendment at "
            f"/pilots/{pilot.slug}/amend"
        )
    if pilot.status != "draft":
        for name in ("hypothesis", "planned_end_date"):
            if getattr(row.data, name) != getattr(pilot, name):
                problems.append(
                    f"{name}: it is frozen on registered pilot {pilot.slug}; change it with an "
                    f"amendment at /pilots/{pilot.slug}/amend"
                )
    return problems


def import_pilots(text: str, actor: User | None = None) -> PilotImportSummary:
    """Upsert pilots by slug in one transaction; any bad row and nothing changes."""
    rows = parse_pilot_csv(text)
    existing = {
        p.slug: p
        for p in db.session.scalars(select(Pilot).where(Pilot.slug.in_([r.slug for r in rows])))
    }
    problems = [
        RowError(row.line, problem)
        for row in rows
        if row.slug in existing
        for problem in _lifecycle_problems(existing[row.slug], row)
    ]
    if problems:
        raise ImportFailed(problems)
    created = updated = unchanged = 0
    try:
        for row in rows:
            pilot = existing.get(row.slug)
            before = _snapshot(pilot) if pilot else None
            if pilot is None:
                pilot = Pilot(slug=row.slug, created_by=actor)
                db.session.add(pilot)
            else:
                row.data.evaluation_design = pilot.evaluation_design  # the CSV has no column
            apply_pilot_data(pilot, row.data)
            pilot.status, pilot.verdict = row.status, row.verdict
            if before is not None and _snapshot(pilot) == before:
                unchanged += 1
                continue
            now = utcnow()
            pilot.updated_at, pilot.updated_by = now, actor
            if pilot.status != "draft" and pilot.registered_at is None:
                pilot.registered_at = now
            db.session.flush()
            if before is None:
                created += 1
                record_event(pilot, "created", actor, f"Imported: {pilot.title}", source="import")
            else:
                updated += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return PilotImportSummary(created, updated, unchanged)
