"""Councils: the register import and the directory's queries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import requests
from sqlalchemy import func, select

from app.common.importing import ImportFailed, RowError, csv_rows, parse_iso_date
from app.common.text import strip_control
from app.councils.models import NATION_ORG_PREFIX, Council
from app.extensions import db

LINE_BREAKS = re.compile(r"[\t\n\r]")  # text allows them, a name does not
GSS_CODE = re.compile(r"^[A-Z]\d{8}$")
# Register codes are three letters for councils; combined authorities and former NI districts
# use longer ones (GMCA, NIR-A).
COUNCIL_CODE = re.compile(r"^[A-Z][A-Z0-9-]{2,9}$")
REQUIRED_COLUMNS = ("local-authority-code", "official-name", "nice-name", "gss-code", "nation")
# The register's column for each text field of Council: its length is the column's.
TEXT_COLUMNS = {
    "code": "local-authority-code", "official_name": "official-name", "nice_name": "nice-name",
    "gss_code": "gss-code", "nation": "nation", "region": "region",
    "la_type": "local-authority-type", "la_type_name": "local-authority-type-name",
}  # fmt: skip
FIELDS = (
    "official_name", "nice_name", "gss_code", "nation", "region", "la_type", "la_type_name",
    "is_current", "start_date", "end_date", "latitude", "longitude", "population_2020",
)  # fmt: skip
# The register's centroid columns and the range each must lie in (degrees, WGS84).
POSITION_COLUMNS = (("latitude", "lat", 90), ("longitude", "long", 180))
MICRODEGREE = Decimal("0.000001")  # the column's scale: parse to it so a re-import compares equal


@dataclass
class ImportSummary:
    created: int
    updated: int
    unchanged: int


def read_source(path_or_url: str) -> str:
    """The CSV text from a local path or an http(s) address."""
    if path_or_url.startswith(("http://", "https://")):
        try:
            response = requests.get(path_or_url, timeout=30)
            response.raise_for_status()
        except requests.RequestException as error:
            raise ImportFailed([], f"could not fetch {path_or_url}: {error}") from error
        response.encoding = response.encoding or "utf-8"
        return response.text
    try:
        return Path(path_or_url).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFailed([], f"could not read {path_or_url}: {error}") from error


def _text_problems(row: dict[str, str]) -> list[str]:
    """Values the database could not hold (PostgreSQL refuses an over-long one, or a NUL, with a
    DataError) or that would disguise a name: control and bidirectional characters."""
    problems = []
    for field, column in TEXT_COLUMNS.items():
        value = (row.get(column) or "").strip()
        limit = Council.__table__.c[field].type.length
        if len(value) > limit:
            problems.append(f"{column}: {len(value)} characters; the most is {limit}")
        if strip_control(value) != value or LINE_BREAKS.search(value):
            problems.append(f"{column} has a control character; remove it")
    return problems


def _parse_position(row: dict[str, str], errors: list[str]) -> dict[str, object]:
    """Latitude, longitude and 2020 population from the register's `lat`, `long` and `pop-2020`
    (empty is allowed: former councils have none). The register writes the population as a
    float ("217232.0")."""
    values: dict[str, object] = {}
    for field, column, limit in POSITION_COLUMNS:
        raw = (row.get(column) or "").strip()
        try:
            number = Decimal(raw).quantize(MICRODEGREE) if raw else None
        except (InvalidOperation, ValueError):
            number = None
            errors.append(f"{column} {raw!r} is not a number of degrees")
        if number is not None and not (number.is_finite() and abs(number) <= limit):
            errors.append(f"{column} {raw!r} is not between -{limit} and {limit} degrees")
            number = None
        values[field] = number
    raw = (row.get("pop-2020") or "").strip()
    population = None
    try:
        population = int(Decimal(raw)) if raw else None
    except (InvalidOperation, ValueError, OverflowError):
        errors.append(f"pop-2020 {raw!r} is not a number of people")
    if population is not None and not 0 <= population < 2**31:
        errors.append(f"pop-2020 {raw!r} is not a number of people")
        population = None
    values["population_2020"] = population
    return values


def _parse_row(row: dict[str, str]) -> tuple[dict[str, object], list[str]]:
    errors: list[str] = _text_problems(row)
    code = (row.get("local-authority-code") or "").strip().upper()
    official = (row.get("official-name") or "").strip()
    nice = (row.get("nice-name") or "").strip() or official
    gss = (row.get("gss-code") or "").strip().upper()
    nation = (row.get("nation") or "").strip()
    if not code:
        errors.append("local-authority-code is empty")
    elif not COUNCIL_CODE.match(code):
        errors.append(f"local-authority-code {code!r} is not a register code (letters, like KEC)")
    if not official:
        errors.append("official-name is empty")
    if gss and not GSS_CODE.match(gss):
        errors.append(f"gss-code {gss!r} is not one letter and eight digits")
    if nation not in NATION_ORG_PREFIX:
        errors.append(f"nation {nation!r} is not one of {', '.join(NATION_ORG_PREFIX)}")
    start = parse_iso_date(row.get("start-date") or "", "start-date", errors)
    end = parse_iso_date(row.get("end-date") or "", "end-date", errors)
    current_raw = (row.get("current-authority") or "True").strip().lower()
    if current_raw not in ("true", "false", "1", "0", "yes", "no", ""):
        errors.append(f"current-authority {current_raw!r} is not True or False")
    values: dict[str, object] = {
        "code": code,
        "official_name": official,
        "nice_name": nice,
        "gss_code": gss or None,
        "nation": nation,
        "region": (row.get("region") or "").strip(),
        "la_type": (row.get("local-authority-type") or "").strip(),
        "la_type_name": (row.get("local-authority-type-name") or "").strip(),
        "is_current": current_raw in ("true", "1", "yes", ""),
        "start_date": start,
        "end_date": end,
        **_parse_position(row, errors),
    }
    return values, errors


def import_councils(text: str) -> ImportSummary:
    """Upsert councils from register CSV text: every row valid, or nothing changes."""
    columns, rows = csv_rows(text)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFailed([], "the file has no column " + ", ".join(missing))
    parsed: list[dict[str, object]] = []
    problems: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        line = row.line
        values, errors = _parse_row(row.values)
        errors = row.problems + errors
        code = str(values["code"])
        if code and code in seen:
            errors.append(f"code {code} appears again (first on line {seen[code]})")
        seen.setdefault(code, line)
        problems.extend(RowError(line, e) for e in errors)
        parsed.append(values)
    if problems:
        raise ImportFailed(problems)

    existing = {c.code: c for c in db.session.scalars(select(Council))}
    created = updated = unchanged = 0
    for values in parsed:
        council = existing.get(str(values["code"]))
        if council is None:
            db.session.add(Council(**values))
            created += 1
        elif any(getattr(council, f) != values[f] for f in FIELDS):
            for field in FIELDS:
                setattr(council, field, values[field])
            updated += 1
        else:
            unchanged += 1
    db.session.commit()
    return ImportSummary(created, updated, unchanged)


def council_by_code(code: str) -> Council | None:
    return db.session.scalar(select(Council).where(Council.code == code.upper()))


def councils_by_codes(codes: list[str]) -> dict[str, Council]:
    wanted = {c.upper() for c in codes}
    return {c.code: c for c in db.session.scalars(select(Council).where(Council.code.in_(wanted)))}


def all_councils() -> list[Council]:
    return list(db.session.scalars(select(Council).order_by(Council.nice_name)))


def nations_and_types() -> tuple[list[str], list[tuple[str, str]]]:
    """The filter choices for the directory: nations, and (type code, type name) pairs."""
    nations = list(db.session.scalars(select(Council.nation).distinct().order_by(Council.nation)))
    types = [
        (code, name)
        for code, name in db.session.execute(
            select(Council.la_type, func.min(Council.la_type_name))
            .group_by(Council.la_type)
            .order_by(func.min(Council.la_type_name))
        )
        if code
    ]
    return nations, types
