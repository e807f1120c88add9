"""Email alerts: sign-up with double opt-in (`service.py`, signed links in `links.py`), news of
pilots (`notices.py`) queued after each commit (`queue.py`) and sent by the worker's jobs
(`tasks.py`) once each (`sending.py`) through SMTP or GOV.UK Notify (`delivery.py`)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.alerts import queue
from app.pilots.events import PUBLIC_EVENT_KINDS
from app.pilots.models import PilotEvent, ProgressUpdate

_installed = False


def _after_flush(session: Session, flush_context: Any) -> None:
    """Each new public event or progress update is news: its job is queued after the commit."""
    for obj in session.new:
        if isinstance(obj, PilotEvent) and obj.kind in PUBLIC_EVENT_KINDS:
            queue.enqueue_after_commit(session, "deliver_notice", f"e{obj.id}")
        elif isinstance(obj, ProgressUpdate):
            queue.enqueue_after_commit(session, "deliver_notice", f"u{obj.id}")


def init_app(app: Flask) -> None:
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_commit", queue.after_commit)
    event.listen(Session, "after_rollback", queue.after_rollback)
    _installed = True
