"""Registry objects as the API's JSON: plain dicts in the shapes of schemas.py.

One place decides how a date, a time, money and an address are written, so every resource says
them the same way: dates `YYYY-MM-DD`, times UTC with `Z`, money as pence and pounds, and each
thing's public page address beside its id."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flask import g, request

from app.common.money import pounds_text
from app.common.web import absolute_url
from app.councils.models import Council
from app.funding.models import Award, Programme
from app.pilots.models import (
    OutcomeReport,
    Pilot,
    PilotEvent,
    PilotVersion,
    ProgressUpdate,
    SuccessMeasure,
)


def utc_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def money(pence: int | None) -> dict[str, Any] | None:
    return None if pence is None else {"pence": pence, "pounds": pounds_text(pence)}


def number(value: Decimal | None) -> str | None:
    """Measures are exact decimals: sent as strings so no client rounds them through a float."""
    return None if value is None else format(value.normalize(), "f")


def address(endpoint: str, **values: str) -> str:
    """absolute_url for one variable, built once a request: a page of 100 pilots names 300
    addresses, and url_for for each was a fifth of its time."""
    (name, value), *_ = values.items()
    cache = g.setdefault("api_address_templates", {})
    key = (endpoint, name, request.host_url)
    if key not in cache:
        cache[key] = absolute_url(endpoint, **{name: "\x00"}).split("%00")
    before, after = cache[key]
    return before + quote(value, safe="/") + after


def council_ref(council: Council) -> dict[str, str]:
    return {
        "code": council.code,
        "name": council.nice_name,
        "url": address("councils.council", code=council.code.lower()),
    }


def pilot_summary(pilot: Pilot) -> dict[str, Any]:
    return {
        "id": pilot.id,
        "slug": pilot.slug,
        "url": address("pilots.show", slug=pilot.slug),
        "api_url": address("api.pilot", slug=pilot.slug),
        "title": pilot.title,
        "summary": pilot.summary,
        "status": pilot.status,
        "verdict": pilot.verdict,
        "lead_council": council_ref(pilot.lead_council),
        "partner_councils": [council_ref(c) for c in pilot.partners],
        "pillars": pilot.pillars,
        "start_date": day(pilot.start_date),
        "planned_end_date": day(pilot.planned_end_date),
        "actual_end_date": day(pilot.actual_end_date),
        "planned_cost": money(pilot.planned_cost_pence),
        "actual_cost": money(pilot.actual_cost_pence),
        "registered_at": utc_time(pilot.registered_at),
        "updated_at": utc_time(pilot.updated_at),
    }


def measure(item: SuccessMeasure) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "method": item.method,
        "unit": item.unit,
        "kind": item.kind,
        "direction": item.direction,
        "baseline": number(item.baseline),
        "target": number(item.target),
        "disproved_if": number(item.disproved_if),
        "time_frame": item.time_frame,
        "post_hoc": item.post_hoc,
        "result_value": number(item.result_value),
        "result_date": day(item.result_date),
        "evidence_url": item.evidence_url,
        "evidence_description": item.evidence_description,
    }


def version(item: PilotVersion) -> dict[str, Any]:
    return {
        "number": item.number,
        "reason": item.reason,
        "created_at": utc_time(item.created_at),
        "content_hash": item.content_hash,
        "prev_hash": item.prev_hash,
        "changed_fields": sorted(item.diff or {}),
    }


def event(item: PilotEvent, slug: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "pilot_slug": slug,
        "sequence": item.sequence,
        "kind": item.kind,
        "at": utc_time(item.at),
        "summary": item.summary,
    }


def update(item: ProgressUpdate) -> dict[str, Any]:
    return {"on": day(item.on), "council": item.council.code, "text": item.text}


def outcome(item: OutcomeReport | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "verdict": item.verdict,
        "proposed_verdict": item.proposed_verdict,
        "narrative": item.narrative,
        "advice": item.advice,
        "justification": item.justification,
        "reported_on": day(item.reported_on),
    }


def award(item: Award) -> dict[str, Any]:
    return {
        "id": item.id,
        "reference": item.reference,
        "programme": item.programme.slug,
        "pilot_slug": item.pilot.slug,
        "recipient_council": item.recipient.code,
        "amount_awarded": money(item.amount_awarded_pence),
        "amount_disbursed": money(item.amount_disbursed_pence),
        "award_date": day(item.award_date),
    }


def programme(item: Programme, awarded_pence: int, awards: list[Award]) -> dict[str, Any]:
    return {
        "slug": item.slug,
        "name": item.name,
        "funder_name": item.funder_name,
        "funder_org_id": item.funder_org_id,
        "round": item.round,
        "url": absolute_url("funding.programme", slug=item.slug),
        "total_budget": money(item.total_budget_pence),
        "awarded": money(awarded_pence),
        "awards": [award(a) for a in awards],
    }


def council(item: Council, record: Any) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.nice_name,
        "official_name": item.official_name,
        "gss_code": item.gss_code,
        "org_id": item.org_id,
        "nation": item.nation,
        "region": item.region,
        "council_type": item.la_type,
        "url": absolute_url("councils.council", code=item.code.lower()),
        "reporting_record": {
            "reported": record.reported,
            "due": record.due,
            "late": record.late,
            "rate": record.rate,
        },
    }
