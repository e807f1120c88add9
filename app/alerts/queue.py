"""The job queue: RQ on Redis. Jobs are put on it only after the commit that calls for them
(`after_commit`), never before and never for a rolled-back change, so a worker never looks for a
row that is not there yet; each job is retried with growing waits when it fails."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, has_app_context
from redis import Redis
from rq import Queue, Retry
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
PENDING = "alerts_pending_jobs"
# Five more tries over about an hour and a half: a mail server's restart or Notify's brief
# outage is ridden out; anything longer is in RQ's failed registry for someone to look at.
RETRY = Retry(max=5, interval=[10, 60, 300, 900, 3600])


def redis_connection(app: Flask | None = None) -> Redis:
    config = (app or current_app).config
    return Redis.from_url(config["ALERTS_REDIS_URL"], socket_connect_timeout=2)


def alert_queue(app: Flask | None = None) -> Queue:
    config = (app or current_app).config
    return Queue(config["ALERTS_QUEUE"], connection=redis_connection(app))


def enqueue_after_commit(session: Session, task: str, *args: Any) -> None:
    """Queue `app.alerts.tasks.<task>(*args)` once `session` commits."""
    session.info.setdefault(PENDING, []).append((task, args))


def enqueue_now(task: str, *args: Any) -> None:
    """Put one job on the queue (from a command, or after a commit)."""
    alert_queue().enqueue_call(f"app.alerts.tasks.{task}", args=args, retry=RETRY)


def after_commit(session: Session) -> None:
    jobs = session.info.pop(PENDING, [])
    if not jobs or not has_app_context() or not current_app.config["ALERTS_QUEUE_ENABLED"]:
        return
    try:
        for task, args in jobs:
            enqueue_now(task, *args)
    except Exception:
        # The change stands; the emails it called for are lost, and the log says so.
        log.exception("Queueing %d alert job(s) after a commit failed", len(jobs))


def after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
