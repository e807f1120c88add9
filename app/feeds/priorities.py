"""The residents' priorities feeds: every council's, and one council's. Entries say a
consultation opened or closed (a closed one's entry carries its published counts), or a round
opened, closed or was decided. Answers to an
open consultation change nothing here (no count is shown until it closes), so they leave the
fingerprint, and readers' copies, alone."""

from __future__ import annotations

from flask import url_for

from app.choosing.consultation_results import published_results
from app.choosing.feed_entries import round_feed_entries, rounds_changed_at
from app.choosing.priorities import priority_events, priority_events_fingerprint
from app.councils.models import Council
from app.councils.service import council_by_code
from app.feeds.builder import FeedMeta, build_priorities_feed
from app.feeds.service import COUNCIL_CODE, SITE, FeedSource, Fingerprint, newest


def _source(council: Council | None, key: str, title: str, subtitle: str, endpoint: str,
            site_url: str, params: dict[str, str]) -> FeedSource:  # fmt: skip
    council_id = council.id if council else None
    council_code = council.code if council else None

    def fingerprint() -> Fingerprint:
        count, changed = priority_events_fingerprint(council_id)
        rounds = rounds_changed_at(council_code)
        return Fingerprint((count, changed, rounds), newest([changed, rounds]))

    def build(meta: FeedMeta, fmt: str) -> bytes:
        events = priority_events(council_id)
        rounds = round_feed_entries(council_code)
        return build_priorities_feed(meta, events, rounds, fmt, published_results)

    return FeedSource(
        key=key, title=f"{title} — {SITE}", subtitle=subtitle, endpoint=endpoint,
        site_url=site_url, fingerprint=fingerprint, build=build, params=params,
    )  # fmt: skip


def priorities_feed() -> FeedSource:
    """Consultations opened and closed by every council, newest first."""
    return _source(
        None, "priorities", "Residents' priorities",
        "Councils' consultations of residents: opened, and closed with their results.",
        "feeds.priorities", url_for("priorities.index", _external=True), {},
    )  # fmt: skip


def council_priorities_feed(code: str) -> FeedSource | None:
    """One council's consultations opened and closed; None if there is no such council."""
    council = council_by_code(code) if COUNCIL_CODE.fullmatch(code) else None
    if council is None:
        return None
    return _source(
        council, f"priorities/{council.code}", f"Priorities in {council.official_name}",
        f"{council.official_name}'s consultations of residents, with their results.",
        "feeds.council_priorities",
        url_for("priorities.council", code=council.slug, _external=True), {"code": council.slug},
    )  # fmt: skip
