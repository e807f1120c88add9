"""What /healthz reports: can we reach the database, and is the search index there and whole?"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db


def health_report() -> tuple[dict[str, Any], bool]:
    """The state of each part, and whether the app can serve."""
    report: dict[str, Any] = {}
    try:
        db.session.execute(text("SELECT 1"))
        report["database"] = {"ok": True}
    except SQLAlchemyError as error:
        db.session.rollback()
        report["database"] = {"ok": False, "error": error.__class__.__name__}
    from app.search.service import index_state

    try:
        report["search"] = index_state()
    except SQLAlchemyError as error:
        db.session.rollback()
        backend = current_app.config["SEARCH_BACKEND"]
        report["search"] = {"backend": backend, "ok": False, "error": error.__class__.__name__}
    # A search index that is missing or damaged is "degraded", still 200: searches answer from
    # the database while it is rebuilt, so the server is serving, and a load balancer that took
    # every server out for it would turn a slower search into no site at all.
    serving = bool(report["database"]["ok"])
    if not serving:
        report["status"] = "unavailable"
    else:
        report["status"] = "ok" if report["search"].get("ok") else "degraded"
    return report, serving
