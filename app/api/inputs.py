"""What the API accepts: query parameters and request bodies, as pydantic models that spectree
checks before a view runs and documents in the OpenAPI document. Text fields are bounded; rules
that span fields (a start before an end, a primary measure before registering) are the pilots
services' own, so the web forms and the API refuse the same things."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.common.money import COST_BANDS as MONEY_BANDS

SEARCH_SORTS = Literal["relevance", "newest", "cost"]
# What the site refuses at the edge (app/common/control_characters.py), said in the document so a
# client knows: no control character in a query parameter or a one-line field; multi-line text
# may hold tab, CR and LF. A JSON body's bidirectional overrides are refused, not stripped.
ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"
Code = Field(pattern=r"^[A-Za-z]{3}$")
# The six pillars' slugs are fixed (their names and guidance are content); so are the cost bands.
PILLARS = (
    "", "understanding-needs", "business-case", "developing-solutions", "inclusion",
    "measuring-effectiveness", "communicating-success",
)  # fmt: skip
COST_BANDS = ("", *MONEY_BANDS)


class PilotsQuery(BaseModel):
    """The /search parameters, plus the page size (at most 100) and `facets=1` for the counts."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field("", max_length=500, pattern=ONE_LINE)
    pillar: Literal[PILLARS] = ""  # type: ignore[valid-type]
    council: str = Field("", pattern=r"^[A-Za-z]{0,10}$")
    region: str = Field("", max_length=80, pattern=ONE_LINE)
    council_type: str = Field("", max_length=10, pattern=ONE_LINE)
    # `draft`: the token's own council's drafts (a token is needed; no other filter applies).
    status: Literal["", "draft", "registered", "running", "concluded", "stopped", "withdrawn"] = ""
    verdict: Literal["", "proved", "disproved", "inconclusive"] = ""
    cost: Literal[COST_BANDS] = ""  # type: ignore[valid-type]
    year: str = Field("", pattern=r"^([0-9]{4})?$")
    programme: str = Field("", max_length=100, pattern=ONE_LINE)
    sort: SEARCH_SORTS = "relevance"
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)
    # Facet counts cost a query each: sent only when asked for.
    facets: bool = False


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

    title: str = Field(min_length=1, max_length=140, pattern=ONE_LINE)
    hypothesis: str = Field(min_length=1, max_length=5000, pattern=MULTI_LINE)
    lead_council: str = Code
    pillars: list[Annotated[str, Field(max_length=40, pattern=ONE_LINE)]] = Field(
        min_length=1, max_length=6
    )
    summary: str = Field("", max_length=2000, pattern=MULTI_LINE)
    problem: str = Field("", max_length=10000, pattern=MULTI_LINE)
    approach: str = Field("", max_length=10000, pattern=MULTI_LINE)
    offline_access: str = Field("", max_length=5000, pattern=MULTI_LINE)
    partner_councils: list[Annotated[str, Code]] = Field(default_factory=list, max_length=50)
    location: str = Field("", max_length=200, pattern=ONE_LINE)
    tags: list[Annotated[str, Field(max_length=60, pattern=ONE_LINE)]] = Field(
        default_factory=list, max_length=20
    )
    planned_cost_pence: int | None = Field(None, ge=0, le=100_000_000_000)
    start_date: date | None = None
    planned_end_date: date | None = None
    evaluation_design: int | None = Field(None, ge=1, le=5)


class MeasureBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=140, pattern=ONE_LINE)
    method: str = Field("", max_length=5000, pattern=MULTI_LINE)
    unit: str = Field("", max_length=40, pattern=ONE_LINE)
    kind: Literal["primary", "secondary"] = "primary"
    direction: Literal["higher", "lower"] = "higher"
    baseline: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    target: Decimal = Field(max_digits=16, decimal_places=4)
    disproved_if: Decimal = Field(max_digits=16, decimal_places=4)
    time_frame: str = Field("", max_length=200, pattern=ONE_LINE)


class TransitionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["register", "start", "stop", "withdraw"]
    reason: str = Field("", max_length=5000, pattern=MULTI_LINE)
    on: date | None = None


class UpdateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, pattern=MULTI_LINE)
    on: date | None = None


class MeasuredValueBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measure_id: int = Field(ge=1, le=2**31 - 1)
    value: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    evidence_url: str = Field("", max_length=500, pattern=ONE_LINE)


class OutcomeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    narrative: str = Field(min_length=1, max_length=20000, pattern=MULTI_LINE)
    advice: str = Field("", max_length=10000, pattern=MULTI_LINE)
    verdict: Literal["proved", "disproved", "inconclusive"]
    justification: str = Field("", max_length=5000, pattern=MULTI_LINE)
    actual_end_date: date
    results: list[MeasuredValueBody] = Field(min_length=1, max_length=50)


class ThresholdBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measure_id: int = Field(ge=1, le=2**31 - 1)
    target: Decimal = Field(max_digits=16, decimal_places=4)
    disproved_if: Decimal = Field(max_digits=16, decimal_places=4)


class AmendmentBody(BaseModel):
    """A change to a registered pilot's frozen fields, in the open, with the reason. A field left
    out keeps its value."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=5000, pattern=MULTI_LINE)
    hypothesis: str | None = Field(None, min_length=1, max_length=5000, pattern=MULTI_LINE)
    planned_end_date: date | None = None
    evaluation_design: int | None = Field(None, ge=1, le=5)
    verdict: Literal["proved", "disproved", "inconclusive"] | None = None
    thresholds: list[ThresholdBody] = Field(default_factory=list, max_length=50)
