"""The search feed's query: the same parameters as /search, answered with the pilot filters.

`search_feed_pilots` is the one seam to the search domain: once /search exists, point it at the
search service and the feed follows every parameter the page understands.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from app.common.text import strip_control
from app.councils.service import council_by_code
from app.extensions import db
from app.pillars.service import pillar_by_slug
from app.pilots.models import PUBLIC_STATUSES, VERDICTS, Pilot
from app.pilots.service import PilotFilters, filtered_public_pilots

# Exactly the parameters /search takes (see the contract); anything else is ignored.
SEARCH_PARAMETERS = (
    "q", "pillar", "council", "region", "status", "verdict", "cost", "year", "programme", "sort",
    "page",
)  # fmt: skip
MAX_QUERY_LENGTH = 200
ENTRIES = 50


class FeedArgumentError(ValueError):
    """A feed parameter /search would refuse; the message says what to change."""


def search_parameters(args: Mapping[str, str]) -> dict[str, str]:
    """The /search parameters given, checked; raises FeedArgumentError with what to fix."""
    # Control characters can reach no pilot, and PostgreSQL refuses NUL in a query parameter.
    cleaned = {name: strip_control(args.get(name) or "").strip() for name in SEARCH_PARAMETERS}
    params = {name: value for name, value in cleaned.items() if value}
    params.pop("page", None)  # a feed is always the newest entries
    if len(params.get("q", "")) > MAX_QUERY_LENGTH:
        raise FeedArgumentError(f"Search for at most {MAX_QUERY_LENGTH} characters.")
    if "pillar" in params and pillar_by_slug(params["pillar"]) is None:
        raise FeedArgumentError(f"There is no pillar {params['pillar']!r}.")
    if "status" in params and params["status"] not in PUBLIC_STATUSES:
        raise FeedArgumentError(f"There is no public status {params['status']!r}.")
    if "verdict" in params and params["verdict"] not in VERDICTS:
        raise FeedArgumentError(
            f"There is no verdict {params['verdict']!r}. Choose proved, disproved or inconclusive."
        )
    if "council" in params:
        code = params["council"]
        council = council_by_code(code) if len(code) <= 10 and code.isascii() else None
        if council is None:
            raise FeedArgumentError(f"There is no council with code {params['council']!r}.")
        params["council"] = council.slug
    return params


def search_feed_title(params: Mapping[str, str]) -> str:
    """'Search results for “chatbot” (Inclusion, running)': what the search asked for."""
    described = []
    if "pillar" in params:
        pillar = pillar_by_slug(params["pillar"])
        described.append(pillar.name if pillar else params["pillar"])
    if "council" in params:
        council = council_by_code(params["council"])
        described.append(council.official_name if council else params["council"].upper())
    described += [
        params[name] for name in ("status", "verdict", "region", "year") if name in params
    ]
    title = "Search results"
    if params.get("q"):
        title += f" for “{params['q'][:80]}”"
    if described:
        title += f" ({', '.join(described)})"
    return title


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_feed_pilots(args: Mapping[str, str]) -> list[Pilot]:
    """The newest 50 public pilots a /search with these parameters finds.

    Filters by council, pillar, status and verdict, and matches `q` anywhere in the title, summary
    or hypothesis, ignoring case. The other /search parameters are accepted and not yet applied.
    """
    params = search_parameters(args)
    filters = PilotFilters(
        council=params.get("council"),
        pillar=params.get("pillar"),
        status=params.get("status"),
        verdict=params.get("verdict"),
    )
    query = filtered_public_pilots(filters)
    if params.get("q"):
        pattern = _like(params["q"])
        query = query.where(
            or_(
                Pilot.title.ilike(pattern, escape="\\"),
                Pilot.summary.ilike(pattern, escape="\\"),
                Pilot.hypothesis.ilike(pattern, escape="\\"),
            )
        )
    query = query.limit(ENTRIES).options(
        selectinload(Pilot.lead_council),
        selectinload(Pilot.partners),
        selectinload(Pilot.pillar_links),
    )
    return list(db.session.scalars(query))
