"""Funding programmes, their awards to pilots, and the funder's dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from app.pilots.models import Pilot


def _funders_linked_data(pilot: Pilot) -> list[dict[str, str]] | None:
    from app.funding.service import pilot_funders

    funders = [
        {"@type": "Organization", "name": name, "identifier": org_id}
        for name, org_id in pilot_funders(pilot)
    ]
    return funders or None


def init_app(app: Flask) -> None:
    """A pilot's page lists its awards and names its funders in its JSON-LD, and programmes'
    report conditions override the registry default in the tracker's due dates."""
    from app.funding.reporting import report_due_days_by_pilot, report_due_days_query
    from app.funding.service import pilot_funding
    from app.pilots import contributions

    contributions.add_page_section(
        app, "sidebar", "funding/pilot-funding.html", lambda p: {"funding": pilot_funding(p)}
    )
    contributions.add_linked_data_contributor(app, "funder", _funders_linked_data)
    contributions.set_report_due_days_source(app, report_due_days_by_pilot)
    contributions.set_report_due_days_query(app, report_due_days_query)
