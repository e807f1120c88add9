"""The shapes of what the API sends, as pydantic models: spectree turns them into the OpenAPI
document's schemas (JSON Schema 2020-12, the dialect of OpenAPI 3.1) and checks every response
against them before it leaves. Keys are snake_case throughout; dates are `YYYY-MM-DD`, times UTC
ISO 8601 with `Z`; money is an object with integer `pence` and a decimal string of `pounds`."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from app.api.schema_money import Money
from app.api.schemas_origin import Appraisal, PilotRound


class Problem(BaseModel):
    """An error, as RFC 9457 problem details; `type` is stable for each kind of error."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldProblem] | None = None


class FieldProblem(BaseModel):
    field: str
    detail: str


class CouncilRef(BaseModel):
    code: str
    name: str
    url: str


class PilotSummary(BaseModel):
    id: int
    slug: str
    url: str
    api_url: str
    title: str
    summary: str
    status: str
    verdict: str | None
    lead_council: CouncilRef
    partner_councils: list[CouncilRef]
    pillars: list[str]
    start_date: date | None
    planned_end_date: date | None
    actual_end_date: date | None
    planned_cost: Money | None
    actual_cost: Money | None
    registered_at: datetime | None
    updated_at: datetime


class FacetValue(BaseModel):
    value: str
    label: str
    count: int
    selected: bool


class Facet(BaseModel):
    name: str
    label: str
    values: list[FacetValue]


class Links(BaseModel):
    self: str
    next: str | None = None
    prev: str | None = None


class PilotList(BaseModel):
    pilots: list[PilotSummary]
    total: int
    page: int
    per_page: int
    pages: int
    query: str
    filters: dict[str, str]
    sort: str
    facets: list[Facet]
    suggestion: str | None
    links: Links


class Measure(BaseModel):
    id: int
    name: str
    method: str
    unit: str
    kind: str
    direction: str
    baseline: str | None
    target: str
    disproved_if: str
    time_frame: str
    post_hoc: bool
    result_value: str | None
    result_date: date | None
    evidence_url: str
    evidence_description: str


class Version(BaseModel):
    number: str
    reason: str
    created_at: datetime
    content_hash: str
    prev_hash: str | None
    changed_fields: list[str]


class Event(BaseModel):
    id: int
    pilot_slug: str
    sequence: int
    kind: str
    at: datetime
    summary: str


class Update(BaseModel):
    on: date
    council: str
    text: str


class Outcome(BaseModel):
    verdict: str
    proposed_verdict: str
    narrative: str
    advice: str
    justification: str
    reported_on: date


class Award(BaseModel):
    id: int
    reference: str
    programme: str
    pilot_slug: str
    recipient_council: str
    amount_awarded: Money
    amount_disbursed: Money
    award_date: date


class PilotDetail(PilotSummary):
    hypothesis: str
    problem: str
    approach: str
    offline_access: str
    case_study: str
    location: str
    location_gss: str | None
    latitude: str | None
    longitude: str | None
    tags: list[str]
    evaluation_design: int | None
    status_reason: str
    replicates: str | None
    replication_kind: str | None
    measures: list[Measure]
    versions: list[Version]
    events: list[Event]
    updates: list[Update]
    outcome: Outcome | None
    awards: list[Award]
    # Null when the pilot has no appraisal, or was not chosen from an idea.
    appraisal: Appraisal | None
    round: PilotRound | None


class PilotEnvelope(BaseModel):
    pilot: PilotDetail


class ReportingRecord(BaseModel):
    reported: int
    due: int
    late: int
    rate: float | None


class Council(BaseModel):
    code: str
    name: str
    official_name: str
    gss_code: str | None
    org_id: str
    nation: str
    region: str
    council_type: str
    url: str
    reporting_record: ReportingRecord


class CouncilEnvelope(BaseModel):
    council: Council


class CouncilList(BaseModel):
    councils: list[Council]
    total: int
    page: int
    per_page: int
    pages: int
    links: Links


class Pillar(BaseModel):
    slug: str
    name: str
    summary: str
    url: str
    public_pilots: int


class PillarList(BaseModel):
    pillars: list[Pillar]


class Programme(BaseModel):
    slug: str
    name: str
    funder_name: str
    funder_org_id: str
    round: str
    url: str
    total_budget: Money
    awarded: Money
    awards: list[Award]


class ProgrammeList(BaseModel):
    programmes: list[Programme]


class OverduePilot(BaseModel):
    pilot: PilotSummary
    due_date: date
    days_overdue: int


class OverdueList(BaseModel):
    overdue: list[OverduePilot]
    as_of: date


class EventList(BaseModel):
    events: list[Event]
    next_cursor: str | None
    has_more: bool
