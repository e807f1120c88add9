"""`flask alerts worker` runs the queue's jobs; `flask alerts send-digests` (weekly, from a
scheduler) queues each address's digest and forgets alerts never confirmed."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from rq import SimpleWorker

from app.alerts.queue import alert_queue, redis_connection
from app.alerts.service import forget_unconfirmed
from app.alerts.tasks import queue_digests
from app.common.db_types import utcnow

alerts_cli = AppGroup("alerts", help="Email alerts: the worker and the weekly digest.")


@alerts_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
def worker(burst: bool) -> None:
    """Run alert jobs, retrying failed ones when their wait is over (RQ's scheduler)."""
    # SimpleWorker runs each job in this process, inside the app: no fork sharing the
    # database pool; a job's timeout still ends it.
    SimpleWorker([alert_queue()], connection=redis_connection()).work(
        burst=burst, with_scheduler=True, logging_level="INFO"
    )


@alerts_cli.command("send-digests")
def send_digests() -> None:
    """Queue last week's digest for every address with a weekly alert."""
    forgotten = forget_unconfirmed()
    queued = queue_digests(utcnow())
    click.echo(f"Queued {queued} digest(s) on {current_app.config['ALERTS_QUEUE']}; "
               f"forgot {forgotten} alert(s) never confirmed.")  # fmt: skip
