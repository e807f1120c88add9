"""What the API accepts: query parameters and request bodies, as pydantic models that spectree
checks before a view runs and documents in the OpenAPI document. Text fields are bounded; rules
that span fields (a start before an end, a primary measure before registering) are the pilots
services' own, so the web forms and the API refuse the same things."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SEARCH_SORTS = Literal["relevance", "newest", "cost"]
Code = Field(pattern=r"^[A-Za-z]{3}$")


class PilotsQuery(BaseModel):
    """The /search parameters, plus the page size (at most 100)."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field("", max_length=500)
    pillar: str = Field("", max_length=60)
    council: str = Field("", max_length=10)
    region: str = Field("", max_length=80)
    council_type: str = Field("", max_length=10)
    status: str = Field("", max_length=20)
    verdict: str = Field("", max_length=20)
    cost: str = Field("", max_length=20)
    year: str = Field("", max_length=4)
    programme: str = Field("", max_length=100)
    sort: SEARCH_SORTS = "relevance"
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(50, ge=1, le=100)


class EventsQuery(BaseModel):
    """`cursor` from the last answer's `next_cursor`, or `since` a UTC time; neither: from the
    first event."""

    model_config = ConfigDict(extra="ignore")

    cursor: str = Field("", pattern=r"^[0-9]{0,10}$")
    since: datetime | None = None
    limit: int = Field(100, ge=1, le=100)


class PilotBody(BaseModel):
    """A draft pilot as a council's system sends it. On an edit of a registered pilot the frozen
    fields (hypothesis, primary measures, planned dates...) keep their registered values: change
    them by amendment."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=140)
    hypothesis: str = Field(min_length=1, max_length=5000)
    lead_council: str = Code
    pillars: list[str] = Field(min_length=1, max_length=6)
    summary: str = Field("", max_length=2000)
    problem: str = Field("", max_length=10000)
    approach: str = Field("", max_length=10000)
    offline_access: str = Field("", max_length=5000)
    partner_councils: list[str] = Field(default_factory=list, max_length=50)
    location: str = Field("", max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=20)
    planned_cost_pence: int | None = Field(None, ge=0, le=100_000_000_000)
    start_date: date | None = None
    planned_end_date: date | None = None
    evaluation_design: int | None = Field(None, ge=1, le=5)


class MeasureBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=140)
    method: str = Field("", max_length=5000)
    unit: str = Field("", max_length=40)
    kind: Literal["primary", "secondary"] = "primary"
    direction: Literal["higher", "lower"] = "higher"
    baseline: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    target: Decimal = Field(max_digits=16, decimal_places=4)
    disproved_if: Decimal = Field(max_digits=16, decimal_places=4)
    time_frame: str = Field("", max_length=200)


class TransitionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["register", "start", "stop", "withdraw"]
    reason: str = Field("", max_length=5000)
    on: date | None = None


class UpdateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)
    on: date | None = None


class MeasuredValueBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measure_id: int = Field(ge=1, le=2**31 - 1)
    value: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    evidence_url: str = Field("", max_length=500)


class OutcomeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    narrative: str = Field(min_length=1, max_length=20000)
    advice: str = Field("", max_length=10000)
    verdict: Literal["proved", "disproved", "inconclusive"]
    justification: str = Field("", max_length=5000)
    actual_end_date: date
    results: list[MeasuredValueBody] = Field(min_length=1, max_length=50)
