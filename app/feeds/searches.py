"""The search feed's query: the same parameters as /search, answered by the search service."""

from __future__ import annotations

from collections.abc import Mapping

from app.common.text import strip_control
from app.councils.service import council_by_code
from app.funding.service import programme_by_slug, programme_pilot_ids
from app.pillars.service import pillar_by_slug
from app.pilots.models import Pilot
from app.search.query import parse_query
from app.search.service import SearchInputError, matching_pilots, parse_filters

# Exactly the parameters /search takes (see the contract); anything else is ignored.
SEARCH_PARAMETERS = (
    "q", "pillar", "council", "region", "status", "verdict", "cost", "year", "programme", "sort",
    "page", "exact",
)  # fmt: skip
MAX_QUERY_LENGTH = 200
ENTRIES = 50


class FeedArgumentError(ValueError):
    """A feed parameter /search would refuse; the message says what to change."""


def search_parameters(args: Mapping[str, str]) -> dict[str, str]:
    """The /search parameters given, checked as /search checks them; raises FeedArgumentError
    with what to fix."""
    # Control characters can reach no pilot, and PostgreSQL refuses NUL in a query parameter.
    cleaned = {name: strip_control(args.get(name) or "").strip() for name in SEARCH_PARAMETERS}
    params = {name: value for name, value in cleaned.items() if value}
    params.pop("page", None)  # a feed is always the newest entries
    if len(params.get("q", "")) > MAX_QUERY_LENGTH:
        raise FeedArgumentError(f"Search for at most {MAX_QUERY_LENGTH} characters.")
    try:
        parse_query(params.get("q"))
        checked = parse_filters(params)
    except SearchInputError as error:
        raise FeedArgumentError(str(error)) from None
    if "council" in checked:
        code = checked["council"]
        council = council_by_code(code) if len(code) <= 10 and code.isascii() else None
        if council is None:
            raise FeedArgumentError(f"There is no council with code {params['council']!r}.")
        params["council"] = council.slug
    if "programme" in params and programme_by_slug(params["programme"]) is None:
        raise FeedArgumentError(f"There is no funding programme {params['programme']!r}.")
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
    if "programme" in params:
        programme = programme_by_slug(params["programme"])
        described.append(programme.name if programme else params["programme"])
    described += [
        params[name] for name in ("status", "verdict", "region", "cost", "year") if name in params
    ]
    title = "Search results"
    if params.get("q"):
        title += f" for “{params['q'][:80]}”"
    if described:
        title += f" ({', '.join(described)})"
    return title


def search_feed_pilots(args: Mapping[str, str]) -> list[Pilot]:
    """The newest 50 public pilots a /search with these parameters finds, newest change first:
    the search service answers, so the feed follows every parameter the page understands."""
    params = search_parameters(args)
    try:
        pilots = matching_pilots(dict(params), limit=ENTRIES * 4, sort="newest")
    except SearchInputError as error:
        raise FeedArgumentError(str(error)) from None
    if "programme" in params:
        programme = programme_by_slug(params["programme"])
        funded = set(programme_pilot_ids(programme)) if programme else set()
        pilots = [p for p in pilots if p.id in funded]
    pilots.sort(key=lambda p: (p.updated_at, p.id), reverse=True)
    return pilots[:ENTRIES]
