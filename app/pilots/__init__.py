"""The pilot and its whole life: drafts, registration, lifecycle, measures, amendments and
history, progress updates, results and verdicts, overdue reports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Saving a draft changes no public page, so it leaves the page cache alone; every write
    that changes a pilot's report dates or the public counts stores them again
    (report_dates.py, counts.py)."""
    from app.common.caching.generation import private_when
    from app.pilots import counts, report_dates
    from app.pilots.drafts import only_a_draft

    private_when(only_a_draft)
    report_dates.install()
    counts.install()
