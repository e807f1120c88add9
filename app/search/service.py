"""Search as the /search page and the pilot page use it."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from app.common.money import COST_BANDS
from app.common.pagination import Page
from app.common.text import strip_control
from app.councils.models import Council
from app.extensions import db
from app.funding.service import all_programmes, programme_by_slug
from app.pillars.service import all_pillars
from app.pilots.models import PUBLIC_STATUSES, VERDICTS, Pilot
from app.search import indexing
from app.search.answering import Answer, answer, marked_words
from app.search.backend import (
    SORTS,
    IndexUnavailable,
    SearchBackend,
    SearchRequest,
    SearchResults,
    Snippet,
)
from app.search.documents import build_document
from app.search.expansion import Expansion
from app.search.query import ParsedQuery, parse_query
from app.search.spelling import Suggestion
from app.search.sql_search import like_matcher, run_search
from app.search.whoosh import WhooshBackend

log = logging.getLogger(__name__)
FILTERS = (
    "pillar", "council", "region", "council_type", "status", "verdict", "cost", "year", "programme",
)  # fmt: skip
FACET_LABELS = {
    "pillar": "Pillar",
    "status": "Status",
    "verdict": "Verdict",
    "cost": "Cost",
    "year": "Start year",
    "programme": "Funding programme",
    "region": "Region or nation",
    "council_type": "Council type",
    "council": "Council",
}
MAX_COUNCILS_SHOWN = 15
_MARKDOWN = re.compile(r"[*_#>`\[\]]+|\]\([^)]*\)")
FALLBACK_NOTICE = (
    "Search is working in a simpler way for a few minutes while its index is rebuilt: "
    "results are not ranked and word endings must match exactly."
)


class SearchInputError(ValueError):
    """A search parameter that cannot be used; the message tells the person what to change."""


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    query: str
    filters: dict[str, str]
    sort: str
    page: Page
    facets: list[tuple[str, str, list[FacetValue]]] = field(default_factory=list)
    snippets: dict[int, Snippet] = field(default_factory=dict)
    suggestion: Suggestion | None = None
    notice: str | None = None
    corrected: str | None = None  # no pilot had the words typed: these are for this query
    exact: bool = False  # the thesaurus and compounds were turned off
    also_searched: list[str] = field(default_factory=list)
    # When no pilot has all the words: what was typed, clause by clause (the notice), and the
    # words each listed pilot lacks (struck through).
    some_words: list[str] = field(default_factory=list)
    missing: dict[int, list[str]] = field(default_factory=dict)


def parse_filters(args: dict[str, str]) -> dict[str, str]:
    """Check each filter; raise SearchInputError with a message a person can act on."""
    filters = {name: args[name].strip() for name in FILTERS if (args.get(name) or "").strip()}
    pillars = {p.slug for p in all_pillars()}
    if "pillar" in filters and filters["pillar"] not in pillars:
        raise SearchInputError(
            f"There is no pillar {filters['pillar']!r}. Choose one from the list."
        )
    if "status" in filters and filters["status"] not in PUBLIC_STATUSES:
        raise SearchInputError(
            f"There is no status {filters['status']!r}. Choose one from the list."
        )
    if "verdict" in filters and filters["verdict"] not in VERDICTS:
        raise SearchInputError("The verdict must be proved, disproved or inconclusive.")
    if "cost" in filters and filters["cost"] not in COST_BANDS:
        raise SearchInputError(
            f"There is no cost band {filters['cost']!r}. Choose one from the list."
        )
    if "year" in filters and not re.fullmatch(r"\d{4}", filters["year"]):
        raise SearchInputError("The start year must be a year like 2025.")
    if "programme" in filters and programme_by_slug(filters["programme"]) is None:
        raise SearchInputError(
            f"There is no funding programme {filters['programme']!r}. Choose one from the list."
        )
    if "council" in filters:
        filters["council"] = filters["council"].upper()
    return filters


def _parse(q: str | None, sort: str | None) -> tuple[ParsedQuery, str]:
    parsed = parse_query(q)  # QueryTooLong is a SearchInputError for the route too
    sort = sort or "relevance"
    if sort not in SORTS:
        raise SearchInputError("Sort by relevance, newest or cost.")
    return parsed, sort


def _snippet_text(pilot: Pilot, outcome: str) -> str:
    parts = (
        pilot.summary, pilot.hypothesis, pilot.problem, pilot.approach, pilot.case_study, outcome,
    )  # fmt: skip
    return strip_control(_MARKDOWN.sub(" ", "\n".join(p for p in parts if p)))


def _facet_labels() -> dict[str, dict[str, str]]:
    return {
        "pillar": {p.slug: p.name for p in all_pillars()},
        "status": {s: s.capitalize() for s in PUBLIC_STATUSES},
        "verdict": {v: v.capitalize() for v in VERDICTS},
        "cost": dict(COST_BANDS),
        "programme": {p.slug: p.name for p in all_programmes()},
    }


def _facets(
    results: SearchResults, filters: dict[str, str]
) -> list[tuple[str, str, list[FacetValue]]]:
    labels = _facet_labels()
    council_codes = set(results.facets.get("council", {})) | {filters.get("council", "")}
    councils = db.session.execute(
        select(Council.code, Council.nice_name).where(Council.code.in_(council_codes))
    ).all()
    labels["council"] = dict(councils)  # type: ignore[arg-type]
    types = db.session.execute(select(Council.la_type, Council.la_type_name).distinct()).all()
    labels["council_type"] = {code: name or code for code, name in types if code}
    shown = []
    for name in (
        "pillar",
        "status",
        "verdict",
        "cost",
        "year",
        "programme",
        "region",
        "council_type",
        "council",
    ):
        counts = results.facets.get(name, {})
        order = labels.get(name)
        counts = dict(counts)
        if name in filters:  # chosen but matching nothing: still named, and removable
            counts.setdefault(filters[name], 0)
        values = [
            FacetValue(v, (order or {}).get(v, v), n, filters.get(name) == v)
            for v, n in counts.items()
        ]
        if name == "council":  # codes are upper case in data, lower case in addresses
            for facet in values:
                facet.value = facet.value.lower()
        if name == "year":
            values.sort(key=lambda f: f.value, reverse=True)
        elif order and name != "council":
            keys = list(order)
            values.sort(key=lambda f: keys.index(f.value) if f.value in keys else len(keys))
        else:
            values.sort(key=lambda f: (-f.count, f.label))
        if name == "council":
            values = [v for i, v in enumerate(values) if i < MAX_COUNCILS_SHOWN or v.selected]
        if values or name in filters:
            shown.append((name, FACET_LABELS[name], values))
    return shown


# The long texts a list of pilots without snippets never shows (the JSON API's pages of 100).
_LONG_TEXTS = (Pilot.case_study, Pilot.problem, Pilot.approach, Pilot.offline_access)


def _pilots_in_order(ids: list[int], listed: bool = True, texts: bool = True) -> list[Pilot]:
    """The pilots in the order of `ids`; `listed` loads what a result list shows, not only the
    title and lead council that the pilot page's sidebar names; without `texts`, the long texts
    stay in the database (a hundred case studies are most of a page's reading time)."""
    options = [selectinload(Pilot.lead_council)]
    if listed:
        options += [selectinload(Pilot.partners), selectinload(Pilot.pillar_links)]
    if not texts:
        options += [defer(column) for column in _LONG_TEXTS]
    query = select(Pilot).where(Pilot.id.in_(ids)).options(*options)
    found = {p.id: p for p in db.session.scalars(query)}
    return [found[i] for i in ids if i in found and found[i].is_public]


def search_pilots(
    args: dict[str, str],
    page_number: int,
    per_page: int | None = None,
    with_snippets: bool = True,
    with_facets: bool = True,
) -> SearchPage:
    """Run /search: ranked pilots for one page, facet counts, snippets and spelling help. The
    JSON API asks the same with its own page size, without the snippets it does not send and
    without the facets unless its reader asks for them."""
    parsed, sort = _parse(args.get("q"), args.get("sort"))
    filters = parse_filters(args)
    request = SearchRequest(
        query=parsed, filters=filters, sort=sort, page=page_number, with_facets=with_facets
    )
    exact = args.get("exact") == "1"
    if per_page is not None:
        request.per_page = per_page
    backend: SearchBackend = indexing.searching_backend()
    notice = None
    try:
        indexing.refresh_renamed_pillars()
        found = answer(backend, request, exact)
    except IndexUnavailable as error:
        log.warning("Search index unavailable, searching the database instead: %s", error)
        indexing.rebuild_in_background()
        found = Answer(run_search(db.session, request, like_matcher), Expansion(parsed))
        notice = FALLBACK_NOTICE
    results = found.results
    pilots = _pilots_in_order(results.pilot_ids, texts=with_snippets)
    snippets: dict[int, Snippet] = {}
    if notice is None and with_snippets:
        outcomes = indexing.outcome_texts(db.session, [p.id for p in pilots])
        texts = {p.id: _snippet_text(p, outcomes.get(p.id, "")) for p in pilots}
        snippets = backend.snippets(marked_words(found), texts)
    page = Page(items=pilots, page=page_number, per_page=request.per_page, total=results.total)
    return SearchPage(
        query=parsed.text(),
        filters=filters,
        sort=sort,
        page=page,
        facets=_facets(results, filters) if with_facets else [],
        snippets=snippets,
        suggestion=found.suggestion,
        notice=notice,
        corrected=found.corrected.query if found.corrected else None,
        exact=exact,
        also_searched=found.expansion.also,
        some_words=found.typed_clauses(),
        missing=found.missing_words(),
    )


def matching_pilot_ids(args: dict[str, str], limit: int, sort: str | None = None) -> list[int]:
    """Ids of the first `limit` public pilots a /search with these parameters finds, in its order
    (or `sort`'s): what feeds and exports of a search list. Raises SearchInputError as /search
    would."""
    parsed, chosen = _parse(args.get("q"), sort or args.get("sort"))
    request = SearchRequest(
        query=parsed, filters=parse_filters(args), sort=chosen, page=1, per_page=limit,
        with_facets=False,
    )  # fmt: skip
    try:
        indexing.refresh_renamed_pillars()
        results = answer(indexing.searching_backend(), request, args.get("exact") == "1").results
    except IndexUnavailable as error:
        log.warning("Search index unavailable, searching the database instead: %s", error)
        indexing.rebuild_in_background()
        results = run_search(db.session, request, like_matcher)
    return results.pilot_ids


def matching_pilots(args: dict[str, str], limit: int, sort: str | None = None) -> list[Pilot]:
    """The pilots themselves, for matching_pilot_ids."""
    return _pilots_in_order(matching_pilot_ids(args, limit, sort))


def similar_pilots(pilot: Pilot, limit: int = 5) -> list[Pilot]:
    """The published pilots most like this one (title, hypothesis, tags), never itself."""
    document = build_document(pilot, {p.slug: p.name for p in all_pillars()})
    try:
        ids = indexing.searching_backend().more_like_this(document, limit + 1)
    except IndexUnavailable as error:
        log.warning("Search index unavailable, no similar pilots listed: %s", error)
        indexing.rebuild_in_background()
        return []
    return _pilots_in_order([i for i in ids if i != pilot.id], listed=False)[:limit]


def index_version() -> str:
    """Changes whenever the index may answer differently: for pages that show search results.

    PostgreSQL's vectors change with the rows, inside the writing transaction, so the content
    generation already covers them. A Whoosh index changes after the commit (sometimes in
    another worker, the one holding the writer lock), as new or merged segments, deletions, or
    a swap to a new generation. Its segments say so; the table of contents would not do, since
    each draft save commits one that changes nothing.

    Changes saved on another server are applied by the search a page makes (catch_up), not
    here: a cached page's check stays free of queries. Every logged change also changes the
    content generation, so such a page is rendered again, applying them as it does."""
    backend = indexing.current_backend()
    if not isinstance(backend, WhooshBackend):
        return ""
    try:
        searcher = backend.searcher()  # the process's own, reopened only when the index changed
        generation = backend.directory.current_target().name
    except IndexUnavailable:
        return "unavailable"
    segments = [reader.segment() for reader, _ in searcher.reader().leaf_readers()]
    return (
        generation
        + ":"
        + ",".join(
            f"{segment.segment_id()}-{segment.deleted_count()}" for segment in segments if segment
        )
    )


def index_state() -> dict[str, Any]:
    """What /healthz and `flask search check` say about search; with Whoosh, the newest change
    of the database's log that the index holds, and how many it has yet to apply."""
    backend = indexing.current_backend()
    state = {"backend": backend.name, **backend.state()}
    if isinstance(backend, WhooshBackend) and "applied_change" in state:
        state["changes_behind"] = indexing.change_log().behind(state["applied_change"])
    return state
