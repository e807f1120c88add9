"""Awards as a 360Giving data package (standard 1.4.3): one grant per award, streamed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from app.common.db_types import utcnow
from app.common.markdown import plain_text
from app.common.web import absolute_url
from app.councils.models import Council
from app.exports.service import grant_id
from app.funding.models import Award

PACKAGE_VERSION = "1.4"  # the package schema wants major.minor
LOCAL_AUTHORITY_SCOPE = "GLS050"
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

# 360Giving's geoCodeType codelist, keyed by the entity part of a council's GSS code. Northern
# Ireland's districts (N09) are not in the codelist; ONS calls them LGD.
GEO_CODE_TYPES = {
    "E06": "UA",
    "E07": "NMD",
    "E08": "MD",
    "E09": "LONB",
    "E10": "CTY",
    "W06": "UA",
    "S12": "CA",
    "N09": "LGD",
}


def pounds(pence: int) -> int | float:
    """An amount for JSON: whole pounds as an integer, else pounds and pence (12500.5)."""
    return pence // 100 if pence % 100 == 0 else pence / 100


def _timestamp(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def beneficiary_location(council: Council) -> dict[str, Any]:
    location: dict[str, Any] = {"name": council.nice_name, "countryCode": "GB"}
    if council.gss_code:
        location["geoCode"] = council.gss_code
        geo_type = GEO_CODE_TYPES.get(council.gss_code[:3])
        if geo_type:
            location["geoCodeType"] = geo_type
    return location


def grant(award: Award) -> dict[str, Any]:
    """One award as a 360Giving grant."""
    pilot, programme, council = award.pilot, award.programme, award.recipient
    pilot_url = absolute_url("pilots.show", slug=pilot.slug)
    result: dict[str, Any] = {
        "id": grant_id(award),
        "title": pilot.title,
        "description": pilot.summary or plain_text(pilot.hypothesis),
        "currency": "GBP",
        "amountAwarded": pounds(award.amount_awarded_pence),
        "amountDisbursed": pounds(award.amount_disbursed_pence),
        "awardDate": award.award_date.isoformat(),
        "recipientOrganization": [{"id": council.org_id, "name": council.official_name}],
        "fundingOrganization": [{"id": programme.funder_org_id, "name": programme.funder_name}],
        "grantProgramme": [
            {
                "code": programme.slug,
                "title": programme.name,
                "url": absolute_url("funding.programme", slug=programme.slug),
            }
        ],
        "beneficiaryLocation": [beneficiary_location(council)],
        "locationScope": LOCAL_AUTHORITY_SCOPE,
        "url": pilot_url,
        "dateModified": _timestamp(max(award.updated_at, pilot.updated_at)),
        "dataSource": pilot_url,
    }
    start = award.planned_start_date or pilot.start_date
    end = award.planned_end_date or pilot.planned_end_date
    if start:
        result["plannedDates"] = [
            {"startDate": start.isoformat(), **({"endDate": end.isoformat()} if end else {})}
        ]
    if pilot.start_date and pilot.actual_end_date:
        result["actualDates"] = [
            {
                "startDate": pilot.start_date.isoformat(),
                "endDate": pilot.actual_end_date.isoformat(),
            }
        ]
    return result


def package_metadata() -> dict[str, Any]:
    now = utcnow()
    return {
        "version": PACKAGE_VERSION,
        "title": "Proving Ground: central government funding for council pilots",
        "description": "Awards from funding programmes to councils' published pilots.",
        "issued": now.date().isoformat(),
        "modified": _timestamp(now),
        "publisher": {"name": "Proving Ground", "website": absolute_url("content.home")},
        "license": OGL,
        "accessURL": absolute_url("funding.index"),
        "downloadURL": absolute_url("exports.threesixtygiving"),
    }


def package_chunks(awards: Iterable[Award]) -> Iterator[str]:
    """The package as JSON text, a grant at a time."""
    head = json.dumps(package_metadata(), ensure_ascii=False)
    yield head[:-1] + ', "grants": ['
    for index, award in enumerate(awards):
        yield ("\n" if index == 0 else ",\n") + json.dumps(grant(award), ensure_ascii=False)
    yield "\n]}\n"
