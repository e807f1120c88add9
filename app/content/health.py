"""What /healthz reports: can we reach the database, and is the search index there?"""

from __future__ import annotations

from pathlib import Path
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
    backend = current_app.config["SEARCH_BACKEND"]
    if backend == "whoosh":
        index_dir = Path(current_app.config["SEARCH_INDEX_DIR"])
        present = any(index_dir.glob("**/_MAIN_*.toc")) if index_dir.is_dir() else False
        report["search"] = {"backend": backend, "ok": True, "index_present": present}
    else:
        report["search"] = {"backend": backend, "ok": report["database"]["ok"]}
    serving = bool(report["database"]["ok"])
    report["status"] = "ok" if serving else "unavailable"
    return report, serving
