"""What an alert can follow, checked and named: a public pilot, a council, a pillar, a funding
programme or a saved /search (its query string, checked as /search checks it)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask import url_for

from app.alerts.models import Alert
from app.councils.service import council_by_code
from app.extensions import db
from app.funding.service import programme_by_slug
from app.pillars.service import pillar_by_slug
from app.pilots.models import Pilot
from app.pilots.service import pilot_by_slug
from app.search.query import parse_query
from app.search.service import SearchInputError, parse_filters

# The /search parameters a saved search keeps (the page and the sort change no match).
SEARCH_PARAMETERS = ("q", "pillar", "council", "region", "status", "verdict", "cost", "year",
                     "programme")  # fmt: skip
MAX_SEARCH_LENGTH = 500


class SubjectError(ValueError):
    """Nothing to follow: the message says why."""


@dataclass(frozen=True)
class Subject:
    kind: str
    key: str  # what the alert stores
    title: str
    url: str


def _search_subject(query_string: str) -> Subject:
    if len(query_string) > MAX_SEARCH_LENGTH:
        raise SubjectError("That search is too long to follow. Shorten it and try again.")
    pairs = parse_qsl(query_string.lstrip("?"))
    params = {name: value.strip() for name, value in pairs if name in SEARCH_PARAMETERS}
    params = {name: value for name, value in params.items() if value}
    if not params:
        raise SubjectError("Search for something first, then follow the search.")
    try:
        parse_query(params.get("q"))
        parse_filters(params)
    except SearchInputError as error:
        raise SubjectError(str(error)) from None
    key = urlencode(sorted(params.items()))
    described = ", ".join(f"{value}" for _, value in sorted(params.items()))
    return Subject("search", key, f"Search: {described}", url_for("search.search") + "?" + key)


def _pilot_subject(pilot: Pilot) -> Subject:
    # A pilot is followed by its id: its slug may change while it is a draft, its id never.
    return Subject("pilot", str(pilot.id), pilot.title, url_for("pilots.show", slug=pilot.slug))


def find_subject(kind: str, key: str) -> Subject:
    """The thing `kind`/`key` names (a pilot's slug or id, a council's code, a slug, a query
    string); raises SubjectError if there is no such public thing."""
    if kind == "pilot":
        pilot = pilot_by_slug(key) if len(key) <= 120 else None
        if pilot is None or not pilot.is_public:
            raise SubjectError("There is no public pilot at that address.")
        return _pilot_subject(pilot)
    if kind == "council":
        council = council_by_code(key) if len(key) <= 10 else None
        if council is None:
            raise SubjectError("There is no council with that code.")
        url = url_for("councils.council", code=council.slug)
        return Subject("council", council.code, council.nice_name, url)
    if kind == "pillar":
        pillar = pillar_by_slug(key) if len(key) <= 100 else None
        if pillar is None:
            raise SubjectError("There is no pillar with that name.")
        return Subject("pillar", key, pillar.name, url_for("pillars.pillar", slug=key))
    if kind == "programme":
        programme = programme_by_slug(key) if len(key) <= 120 else None
        if programme is None:
            raise SubjectError("There is no funding programme with that name.")
        url = url_for("funding.programme", slug=programme.slug)
        return Subject("programme", programme.slug, programme.name, url)
    if kind == "search":
        return _search_subject(key)
    raise SubjectError("Choose a pilot, council, pillar, programme or search to follow.")


def subject_of(alert: Alert) -> Subject:
    """The alert's subject as it is now (a deleted pilot or programme keeps its stored key)."""
    if alert.subject_kind == "pilot":
        pilot = db.session.get(Pilot, int(alert.subject_key))
        if pilot is not None:
            return _pilot_subject(pilot)
        return Subject("pilot", alert.subject_key, "A deleted pilot", "")
    try:
        return find_subject(alert.subject_kind, alert.subject_key)
    except SubjectError:
        return Subject(alert.subject_kind, alert.subject_key, alert.subject_key, "")
