"""Funding programmes, their awards to pilots, and the funder's dashboard."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Programmes' report conditions override the registry default in the tracker's due dates."""
    from app.funding.reporting import report_due_days_by_pilot
    from app.pilots import contributions

    contributions.set_report_due_days_source(app, report_due_days_by_pilot)
