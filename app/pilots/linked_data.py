"""A public pilot described for machines: schema.org JSON-LD on its page, and the Open Graph
card a shared link shows. Drafts are described by neither.

schema.org's `Project` (an Organization) is the closest type for a time-limited piece of work;
its lead council is the `sponsor`, and the domains above pilots add what they know (funding adds
the `funder`s) through `contributions`.
"""

from __future__ import annotations

from typing import Any

from app.common.web import absolute_url
from app.pilots import contributions
from app.pilots.models import Pilot

DESCRIPTION_LENGTH = 300


def short_description(pilot: Pilot) -> str:
    """The pilot's summary (plain text) on one line, cut at a word to DESCRIPTION_LENGTH."""
    text = " ".join(pilot.summary.split())
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    return text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _place(pilot: Pilot) -> dict[str, Any] | None:
    place: dict[str, Any] = {"@type": "Place"}
    if pilot.location:
        place["name"] = pilot.location
    if pilot.latitude is not None and pilot.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(pilot.latitude),
            "longitude": float(pilot.longitude),
        }
    return place if len(place) > 1 else None


def pilot_linked_data(pilot: Pilot) -> dict[str, Any] | None:
    """The pilot as a schema.org Project, for its page; None for a draft."""
    if not pilot.is_public:
        return None
    council = pilot.lead_council
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Project",
        "@id": absolute_url("pilots.show", slug=pilot.slug) + "#pilot",
        "name": pilot.title,
        "description": short_description(pilot),
        "url": absolute_url("pilots.show", slug=pilot.slug),
        "sponsor": {
            "@type": "GovernmentOrganization",
            "name": council.nice_name,
            "url": absolute_url("councils.council", code=council.slug),
        },
    }
    place = _place(pilot)
    if place:
        data["location"] = place
    if pilot.start_date:
        data["startDate"] = pilot.start_date.isoformat()
    end = pilot.actual_end_date or pilot.planned_end_date
    if end:
        data["endDate"] = end.isoformat()
    data.update(contributions.contributed_linked_data(pilot))
    return data
