"""The registry's open data as a DCAT catalogue (DCAT-AP 2), for data.gov.uk and other harvesters.

Three datasets, each with the downloads and feeds that carry it: the public pilots (CSV and the
Atom feed), the funding awards (CSV and 360Giving JSON) and the pilots' lifecycle events (Atom).
The context is written inline, never fetched from elsewhere, so a JSON-LD processor can expand the
document offline and a harvester need trust no other server. Drafts are never counted: the
temporal coverage runs from the earliest to the latest date of a public pilot.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from app.common.web import absolute_url
from app.exports.threesixtygiving import OGL
from app.extensions import db
from app.pilots.models import PUBLIC_STATUSES, Pilot

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "title": {"@id": "dct:title", "@language": "en"},
    "description": {"@id": "dct:description", "@language": "en"},
    "name": {"@id": "foaf:name", "@language": "en"},
    "publisher": {"@id": "dct:publisher"},
    "license": {"@id": "dct:license", "@type": "@id"},
    "homepage": {"@id": "foaf:homepage", "@type": "@id"},
    "landingPage": {"@id": "dcat:landingPage", "@type": "@id"},
    "dataset": {"@id": "dcat:dataset", "@container": "@set"},
    "distribution": {"@id": "dcat:distribution", "@container": "@set"},
    "accessURL": {"@id": "dcat:accessURL", "@type": "@id"},
    "downloadURL": {"@id": "dcat:downloadURL", "@type": "@id"},
    "mediaType": {"@id": "dcat:mediaType", "@type": "@id"},
    "format": {"@id": "dct:format", "@type": "@id"},
    "accrualPeriodicity": {"@id": "dct:accrualPeriodicity", "@type": "@id"},
    "temporal": {"@id": "dct:temporal"},
    "startDate": {"@id": "dcat:startDate", "@type": "xsd:date"},
    "endDate": {"@id": "dcat:endDate", "@type": "xsd:date"},
    "modified": {"@id": "dct:modified", "@type": "xsd:dateTime"},
    "keyword": {"@id": "dcat:keyword", "@language": "en", "@container": "@set"},
    "language": {"@id": "dct:language", "@type": "@id"},
}
# The EU Publications Office's vocabularies, which DCAT-AP requires for these properties.
CONTINUOUSLY_UPDATED = "http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT"
ENGLISH = "http://publications.europa.eu/resource/authority/language/ENG"
FILE_TYPES = {
    "text/csv": "http://publications.europa.eu/resource/authority/file-type/CSV",
    "application/json": "http://publications.europa.eu/resource/authority/file-type/JSON",
    "application/atom+xml": "http://publications.europa.eu/resource/authority/file-type/ATOM",
}
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Coverage:
    """The dates the public pilots span, and when the newest of them last changed."""

    start: date | None
    end: date | None
    modified: datetime | None


def public_coverage() -> Coverage:
    """One aggregate query over public pilots: earliest date, latest date, latest change."""
    public = Pilot.status.in_(PUBLIC_STATUSES)
    row = db.session.execute(
        select(
            func.min(Pilot.start_date),
            func.max(Pilot.start_date),
            func.max(Pilot.planned_end_date),
            func.max(Pilot.actual_end_date),
            func.max(Pilot.updated_at),
        ).where(public)
    ).one()
    earliest, *latest_dates, modified = row
    latest = max((d for d in latest_dates if d is not None), default=None)
    return Coverage(earliest, latest, modified)


def _distribution(title: str, endpoint: str, media_type: str, **values: Any) -> dict[str, Any]:
    url = absolute_url(endpoint, **values)
    return {
        "@type": "dcat:Distribution",
        "title": title,
        "accessURL": url,
        "downloadURL": url,
        "mediaType": IANA_MEDIA_TYPES + media_type,
        "format": FILE_TYPES[media_type],
        "license": OGL,
    }


def _dataset(
    slug: str, title: str, description: str, landing: str, distributions: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "@id": absolute_url("exports.catalogue") + "#" + slug,
        "@type": "dcat:Dataset",
        "title": title,
        "description": description,
        "landingPage": absolute_url(landing),
        "distribution": distributions,
    }


def catalogue() -> dict[str, Any]:
    """The DCAT catalogue of the registry's open data, as a JSON-LD document."""
    coverage = public_coverage()
    publisher = {
        "@id": absolute_url("content.home") + "#publisher",
        "@type": "foaf:Agent",
        "name": "Proving Ground",
        "homepage": absolute_url("content.home"),
    }
    common: dict[str, Any] = {
        "publisher": publisher,
        "license": OGL,
        "accrualPeriodicity": CONTINUOUSLY_UPDATED,
        "language": ENGLISH,
    }
    if coverage.start or coverage.end:
        period: dict[str, Any] = {"@type": "dct:PeriodOfTime"}
        if coverage.start:
            period["startDate"] = coverage.start.isoformat()
        if coverage.end:
            period["endDate"] = coverage.end.isoformat()
        common["temporal"] = period
    if coverage.modified:
        common["modified"] = coverage.modified.isoformat()
    datasets = [
        _dataset(
            "pilots",
            "Council digital pilots",
            "Every public pilot in the registry: its councils, pillars, hypothesis, dates, costs, "
            "status and verdict. Drafts are not published.",
            "pilots.index",
            [
                _distribution("Pilots (CSV)", "exports.pilots_csv", "text/csv"),
                _distribution(
                    "Newest pilots (Atom feed)", "feeds.pilots", "application/atom+xml", fmt="atom"
                ),
            ],
        ),
        _dataset(
            "awards",
            "Funding awards to pilots",
            "Each funding programme's awards to public pilots: amounts awarded and disbursed, "
            "recipient council and dates.",
            "funding.index",
            [
                _distribution("Awards (CSV)", "exports.awards_csv", "text/csv"),
                _distribution(
                    "Awards (360Giving JSON)", "exports.threesixtygiving", "application/json"
                ),
            ],
        ),
        _dataset(
            "events",
            "Pilot lifecycle events",
            "Public pilots' registrations, amendments, starts, progress updates and conclusions "
            "with their verdicts.",
            "pilots.index",
            [
                _distribution(
                    "Lifecycle events (Atom feed)",
                    "feeds.events",
                    "application/atom+xml",
                    fmt="atom",
                )
            ],
        ),
    ]
    return {
        "@context": CONTEXT,
        "@id": absolute_url("exports.catalogue"),
        "@type": "dcat:Catalog",
        "title": "Proving Ground open data",
        "description": "Open data from Proving Ground, the registry of council digital pilots: "
        "what each pilot set out to prove, how it was funded and what it found.",
        "homepage": absolute_url("content.home"),
        "publisher": publisher,
        "license": OGL,
        "language": ENGLISH,
        **({"modified": common["modified"]} if "modified" in common else {}),
        "dataset": [{**dataset, **common} for dataset in datasets],
    }


def catalogue_body() -> tuple[bytes, str]:
    """The catalogue as UTF-8 JSON, and an ETag of it (the body is small: hashing it is cheaper
    than keeping a validator in step with every table it reads)."""
    body = json.dumps(catalogue(), ensure_ascii=False, indent=2).encode()
    return body, hashlib.sha256(body).hexdigest()[:32]
