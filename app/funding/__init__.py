"""Funding programmes, their awards to pilots, and the funder's dashboard."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """A pilot's page lists its awards, and programmes' report conditions override the
    registry default in the tracker's due dates."""
    from app.funding.reporting import report_due_days_by_pilot
    from app.funding.service import pilot_funding
    from app.pilots import contributions

    contributions.add_page_section(
        app, "sidebar", "funding/pilot-funding.html", lambda p: {"funding": pilot_funding(p)}
    )
    contributions.set_report_due_days_source(app, report_due_days_by_pilot)
