"""Feeds: which feed an address names, what goes in it, and whether it changed since the last poll.

A poll runs one small aggregate query (the feed's fingerprint: how many entries, the newest change,
the highest id). The ETag is a hash of that fingerprint, so a reader holding it gets 304 without
anything being built; a changed fingerprint means a rebuild, whose bytes are cached until the
fingerprint moves again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from flask import url_for
from sqlalchemy import ColumnElement, ScalarSelect, Select, func, select, true, union
from sqlalchemy.orm import selectinload

from app.councils.models import Council
from app.councils.service import council_by_code
from app.extensions import db
from app.feeds.builder import MIMETYPES, FeedMeta, build_events_feed, build_pilots_feed
from app.feeds.cache import rendered_feeds
from app.feeds.searches import search_feed_pilots, search_feed_title, search_parameters
from app.funding.models import Award
from app.funding.service import programme_by_slug
from app.pillars.service import pillar_by_slug, pillar_names
from app.pilots.events import PUBLIC_EVENT_KINDS
from app.pilots.models import PUBLIC_STATUSES, Pilot, PilotEvent, PilotPillar, pilot_partners
from app.pilots.service import pilot_by_slug

ENTRIES = 50
MAX_AGE_SECONDS = 300
# Part of every ETag: bump it when the builder's output changes, so readers fetch the new form.
FORMAT_VERSION = "1"
SITE = "Proving Ground"
# What a council code or a slug can look like: anything else is no feed, and never reaches SQL
# (PostgreSQL refuses a NUL in a parameter).
COUNCIL_CODE = re.compile(r"[A-Za-z0-9-]{1,10}")
_SLUG = re.compile(r"[a-z0-9-]{1,100}")
# Last-Modified for a feed with nothing in it yet.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Fingerprint:
    values: tuple[object, ...]
    last_modified: datetime


@dataclass(frozen=True)
class FeedSource:
    """One feed, resolved from its address: what it is called and how to read its data."""

    key: str
    title: str
    subtitle: str
    endpoint: str
    site_url: str
    fingerprint: Callable[[], Fingerprint]
    build: Callable[[FeedMeta, str], bytes]
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PreparedFeed:
    """A feed's validators, known from one query; `body()` builds only if the cache is stale."""

    etag: str
    last_modified: datetime
    mimetype: str
    max_age: int
    body: Callable[[], bytes]


def newest(values: list[datetime | None]) -> datetime:
    return max((v for v in values if v is not None), default=EPOCH)


def _councils_changed() -> ScalarSelect[datetime]:
    # Entries carry council names, so renaming a council changes every feed it appears in.
    return select(func.max(Council.updated_at)).scalar_subquery()


def _public_pilots(condition: ColumnElement[bool]) -> Select[tuple[Pilot]]:
    return select(Pilot).where(Pilot.status.in_(PUBLIC_STATUSES), condition)


def _pilots_fingerprint(condition: ColumnElement[bool]) -> Fingerprint:
    row = db.session.execute(
        select(
            func.count(Pilot.id),
            func.max(Pilot.updated_at),
            func.max(Pilot.id),
            _councils_changed(),
        ).where(Pilot.status.in_(PUBLIC_STATUSES), condition)
    ).one()
    return Fingerprint(tuple(row), newest([row[1], row[3]]))


def _with_entry_relations(query: Select[tuple[Pilot]]) -> Select[tuple[Pilot]]:
    return query.options(
        selectinload(Pilot.lead_council),
        selectinload(Pilot.partners),
        selectinload(Pilot.pillar_links),
    )


def _newest_pilots(condition: ColumnElement[bool]) -> list[Pilot]:
    query = _public_pilots(condition).order_by(Pilot.updated_at.desc(), Pilot.id.desc())
    return list(db.session.scalars(_with_entry_relations(query.limit(ENTRIES))))


def _pilots_source(
    key: str, title: str, subtitle: str, endpoint: str, site_url: str,
    condition: ColumnElement[bool], params: dict[str, str],
) -> FeedSource:  # fmt: skip
    def build(meta: FeedMeta, fmt: str) -> bytes:
        return build_pilots_feed(meta, _newest_pilots(condition), fmt, pillar_names())

    return FeedSource(
        key=key,
        title=f"{title} — {SITE}",
        subtitle=subtitle,
        endpoint=endpoint,
        site_url=site_url,
        fingerprint=lambda: _pilots_fingerprint(condition),
        build=build,
        params=params,
    )


def all_pilots_feed() -> FeedSource:
    """Every public pilot, newest change first."""
    return _pilots_source(
        "pilots", "Pilots", "The latest changes to council pilots on the registry.",
        "feeds.pilots", url_for("pilots.index", _external=True), true(), {},
    )  # fmt: skip


def council_feed(code: str) -> FeedSource | None:
    """Public pilots a council leads or partners in; None if there is no such council."""
    council = council_by_code(code) if COUNCIL_CODE.fullmatch(code) else None
    if council is None:
        return None
    # A UNION of two index lookups: an OR across the two would read every public pilot.
    involved = Pilot.id.in_(
        union(
            select(Pilot.id).where(Pilot.lead_council_id == council.id),
            select(pilot_partners.c.pilot_id).where(pilot_partners.c.council_id == council.id),
        )
    )
    return _pilots_source(
        f"council/{council.code}",
        f"Pilots in {council.official_name}",
        f"Pilots that {council.official_name} leads or is a partner in.",
        "feeds.council",
        url_for("councils.council", code=council.slug, _external=True),
        involved,
        {"code": council.slug},
    )


def pillar_feed(slug: str) -> FeedSource | None:
    """Public pilots under one pillar; None if there is no such pillar."""
    pillar = pillar_by_slug(slug)
    if pillar is None:
        return None
    under = Pilot.id.in_(select(PilotPillar.pilot_id).where(PilotPillar.pillar_slug == slug))
    return _pilots_source(
        f"pillar/{slug}", f"Pilots under {pillar.name}", pillar.summary or pillar.name,
        "feeds.pillar", url_for("pillars.pillar", slug=slug, _external=True), under,
        {"slug": slug},
    )  # fmt: skip


def programme_feed(slug: str) -> FeedSource | None:
    """Public pilots holding an award from a funding programme; None if there is no such one."""
    programme = programme_by_slug(slug)
    if programme is None:
        return None
    funded = Pilot.id.in_(select(Award.pilot_id).where(Award.programme_id == programme.id))
    return _pilots_source(
        f"programme/{programme.slug}",
        f"Pilots funded by {programme.name}",
        f"Trials funded by {programme.name} ({programme.funder_name}).",
        "feeds.programme",
        url_for("funding.programme", slug=programme.slug, _external=True),
        funded,
        {"slug": programme.slug},
    )


def search_feed(args: dict[str, str]) -> FeedSource:
    """The feed of a /search; raises FeedArgumentError for parameters /search would refuse.

    A search may be answered by an index rather than SQL, so its fingerprint is that of every
    public pilot: any change anywhere rebuilds it, but an unchanged poll still costs one query.
    """
    params = search_parameters(args)
    title = search_feed_title(params)
    query = urlencode(sorted(params.items()))
    site = url_for("content.home", _external=True) + "search" + (f"?{query}" if query else "")

    def build(meta: FeedMeta, fmt: str) -> bytes:
        return build_pilots_feed(meta, search_feed_pilots(params), fmt, pillar_names())

    return FeedSource(
        key=f"search?{query}",
        title=f"{title} — {SITE}",
        subtitle="Pilots matching a search of the registry, newest change first.",
        endpoint="feeds.search",
        site_url=site,
        fingerprint=lambda: _pilots_fingerprint(true()),
        build=build,
        params=params,
    )


def _events_query(pilot_id: int | None) -> Select[tuple[PilotEvent]]:
    query = (
        select(PilotEvent)
        .join(Pilot, Pilot.id == PilotEvent.pilot_id)
        .where(Pilot.status.in_(PUBLIC_STATUSES), PilotEvent.kind.in_(PUBLIC_EVENT_KINDS))
    )
    return query.where(PilotEvent.pilot_id == pilot_id) if pilot_id is not None else query


def _events_fingerprint(pilot_id: int | None) -> Fingerprint:
    # Only public pilots have public kinds of event (registering makes a pilot public for good),
    # so these subqueries need no join and each is answered from an index.
    events: list[ColumnElement[bool]] = [PilotEvent.kind.in_(PUBLIC_EVENT_KINDS)]
    pilots: list[ColumnElement[bool]] = [Pilot.status.in_(PUBLIC_STATUSES)]
    if pilot_id is not None:
        events.append(PilotEvent.pilot_id == pilot_id)
        pilots.append(Pilot.id == pilot_id)
    newest_id = select(func.max(PilotEvent.id)).where(*events).scalar_subquery()
    row = db.session.execute(
        select(
            select(func.count(PilotEvent.id)).where(*events).scalar_subquery(),
            newest_id,
            select(PilotEvent.at).where(PilotEvent.id == newest_id).scalar_subquery(),
            # entries describe each pilot as it is now, so an edit to one changes the feed
            select(func.max(Pilot.updated_at)).where(*pilots).scalar_subquery(),
            _councils_changed(),
        )
    ).one()
    return Fingerprint(tuple(row), newest([row[2], row[3], row[4]]))


def _newest_events(pilot_id: int | None) -> list[PilotEvent]:
    query = (
        _events_query(pilot_id)
        .order_by(PilotEvent.at.desc(), PilotEvent.id.desc())
        .limit(ENTRIES)
        .options(
            selectinload(PilotEvent.pilot).options(
                selectinload(Pilot.lead_council),
                selectinload(Pilot.partners),
                selectinload(Pilot.pillar_links),
            )
        )
    )
    return list(db.session.scalars(query))


def _events_source(pilot: Pilot | None) -> FeedSource:
    pilot_id = pilot.id if pilot else None

    def build(meta: FeedMeta, fmt: str) -> bytes:
        return build_events_feed(meta, _newest_events(pilot_id), fmt, pillar_names())

    params: dict[str, str] = {}
    if pilot is None:
        title, endpoint = "Pilot lifecycle events", "feeds.events"
        site = url_for("pilots.index", _external=True)
        subtitle = "Pilots registered, amended, started, concluded, stopped and withdrawn."
    else:
        title, endpoint = f"Events for {pilot.title}", "feeds.pilot_events"
        params["slug"] = pilot.slug
        site = url_for("pilots.show", slug=pilot.slug, _external=True)
        subtitle = f"What has happened to the pilot {pilot.title}."
    return FeedSource(
        key=f"events/{pilot_id or ''}",
        title=f"{title} — {SITE}",
        subtitle=subtitle,
        endpoint=endpoint,
        site_url=site,
        fingerprint=lambda: _events_fingerprint(pilot_id),
        build=build,
        params=params,
    )


def events_feed() -> FeedSource:
    """Lifecycle events of every public pilot, newest first (drafts' events never appear)."""
    return _events_source(None)


def pilot_events_feed(slug: str) -> FeedSource | None:
    """One public pilot's lifecycle events; None for an unknown pilot or a draft."""
    pilot = pilot_by_slug(slug) if _SLUG.fullmatch(slug) else None
    if pilot is None or not pilot.is_public:
        return None
    return _events_source(pilot)


def prepare_feed(source: FeedSource, fmt: str, site_root: str) -> PreparedFeed:
    """The feed's ETag and Last-Modified from its fingerprint; its body on demand, from cache."""
    fingerprint = source.fingerprint()
    names = pillar_names()
    state = (
        FORMAT_VERSION, source.key, source.title, source.subtitle, fmt, site_root,
        fingerprint.values, sorted(names.items()),
    )  # fmt: skip
    etag = hashlib.sha256(repr(state).encode()).hexdigest()[:32]
    cache_key = f"{site_root}|{fmt}|{source.key}"

    def body() -> bytes:
        cache = rendered_feeds()
        cached = cache.get(cache_key, etag)
        if cached is not None:
            return cached
        meta = FeedMeta(
            title=source.title,
            subtitle=source.subtitle,
            self_url=url_for(source.endpoint, fmt=fmt, **source.params, _external=True),
            site_url=source.site_url,
            updated=fingerprint.last_modified,
            id_authority=urlsplit(site_root).hostname or "localhost",
        )
        rendered = source.build(meta, fmt)
        cache.put(cache_key, etag, rendered)
        return rendered

    return PreparedFeed(etag, fingerprint.last_modified, MIMETYPES[fmt], MAX_AGE_SECONDS, body)
