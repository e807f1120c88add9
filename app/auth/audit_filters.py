"""The audit log's filters (who, what they did, between which dates, about which pilot or
council) read from the page's query string, and the CSV of what they choose.

Bad input is refused with a message that names the field, so the page can show it in the
GOV.UK error summary and change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from app.auth.models import AuditEvent, User
from app.common.csv_output import csv_lines
from app.extensions import db

MAX_TEXT = 200


@dataclass(frozen=True)
class AuditFilters:
    who: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    subject: str = ""  # a pilot's address or title, or a council's code
    errors: dict[str, str] = field(default_factory=dict)  # field → message

    def query_args(self) -> dict[str, Any]:
        """The filters as the page's query string, to keep them on every link and the CSV."""
        values = {
            "who": self.who,
            "action": self.action,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "about": self.subject,
        }
        return {name: value for name, value in values.items() if value}


def _date(text: str, label: str, name: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"{label} must be a real date, like 2026-03-31"
        return None


def parse_audit_filters(args: dict[str, str]) -> AuditFilters:
    """The filters in `args`; any that cannot be read are left out and named in `errors`."""
    errors: dict[str, str] = {}
    action = args.get("action", "").strip()[:40]
    if action and action not in audit_actions():
        errors["action"] = "Choose an action from the list"
        action = ""
    date_from = _date(args.get("from", "").strip(), "The start date", "from", errors)
    date_to = _date(args.get("to", "").strip(), "The end date", "to", errors)
    if date_from and date_to and date_to < date_from:
        errors["to"] = "The end date must be the same as or after the start date"
        date_to = None
    return AuditFilters(
        who=args.get("who", "").strip()[:MAX_TEXT],
        action=action,
        date_from=date_from,
        date_to=date_to,
        subject=args.get("about", "").strip()[:MAX_TEXT],
        errors=errors,
    )


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def audit_conditions(filters: AuditFilters) -> list[ColumnElement[bool]]:
    """SQL conditions for the filters: text matches ignore case and match part of a name."""
    conditions: list[ColumnElement[bool]] = []
    if filters.who:
        named = select(User.id).where(
            or_(
                User.name.ilike(_like(filters.who), escape="\\"),
                User.email.ilike(_like(filters.who), escape="\\"),
            )
        )
        conditions.append(
            or_(
                AuditEvent.actor_id.in_(named),
                AuditEvent.actor_name.ilike(_like(filters.who), escape="\\"),
            )
        )
    if filters.action:
        conditions.append(AuditEvent.action == filters.action)
    if filters.date_from:
        conditions.append(AuditEvent.at >= datetime.combine(filters.date_from, time(), UTC))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), UTC)
        conditions.append(AuditEvent.at < end)
    if filters.subject:
        conditions.append(
            or_(
                AuditEvent.target_key.ilike(_like(filters.subject), escape="\\"),
                AuditEvent.target_label.ilike(_like(filters.subject), escape="\\"),
            )
        )
    return conditions


def audit_actions() -> list[str]:
    """Every action the log has recorded, for the filter's list."""
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    return list(actions)


def describe_changes(event: AuditEvent) -> str:
    """What an edit changed, as one line: `title: "Old" → "New"; hypothesis`."""
    parts = []
    for change in (event.detail or {}).get("changes", []):
        if "old" in change:
            parts.append(f"{change['field']}: “{change['old']}” → “{change['new']}”")
        else:
            parts.append(str(change["field"]))
    return "; ".join(parts)


def audit_csv_lines(events: list[AuditEvent]) -> Iterator[str]:
    """The chosen entries as spreadsheet-safe CSV, newest first."""
    header = ["at_utc", "who", "action", "target_type", "target_key", "target", "changes"]
    rows = (
        [
            e.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            e.actor.display_name if e.actor else e.actor_name,
            e.action,
            e.target_type,
            e.target_key,
            e.target_label,
            describe_changes(e),
        ]
        for e in events
    )
    return csv_lines(header, rows)
