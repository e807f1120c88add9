"""A real worker process (`flask alerts worker --burst`) killed with SIGKILL while the mail
server takes its email: RQ finds the abandoned job and retries it, and the recipient still gets
one copy."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from typing import Any

from rq.registry import StartedJobRegistry
from sqlalchemy import select

from app.alerts.models import AlertSend
from app.extensions import db
from app.pilots.events import record_event
from tests.alerts.conftest import PROJECT, create_alert
from tests.factories import create_council, create_pilot


def worker_process(app: Any) -> subprocess.Popen[bytes]:
    config = app.config
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": config["SEARCH_INDEX_DIR"],
        "INSTANCE_DIR": config["INSTANCE_DIR"],
        "ALERTS_REDIS_URL": config["ALERTS_REDIS_URL"],
        "ALERTS_QUEUE": config["ALERTS_QUEUE"],
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": config["SMTP_HOST"],
        "SMTP_PORT": str(config["SMTP_PORT"]),
        "SERVER_BASE_URL": config["SERVER_BASE_URL"],
    }
    return subprocess.Popen(
        [str(PROJECT / ".venv/bin/flask"), "--app", "wsgi", "alerts", "worker", "--burst"],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_worker_killed_while_the_server_takes_the_email_sends_one_copy(app_ctx, jobs, mailbox):
    pilot = create_pilot(create_council())
    create_alert("reader@example.org", "pilot", str(pilot.id))
    record_event(pilot, "concluded", None, "Concluded: proved")
    db.session.commit()

    worker = worker_process(app_ctx)
    mailbox.on_message = lambda: os.kill(worker.pid, signal.SIGKILL)
    assert worker.wait(timeout=60) == -signal.SIGKILL
    mailbox.on_message = None
    assert len(mailbox.received) == 1  # the server has it; the worker never heard "250"

    # RQ's cleanup, when the job's time is up, finds it abandoned and schedules its retry.
    StartedJobRegistry(queue=jobs.queue).cleanup(timestamp=time.time() + 10**6)
    assert jobs.release_retries() == 1
    jobs.run()

    assert len(mailbox.received) == 1
    assert jobs.failed() == [] and jobs.waiting() == 0
    [send] = db.session.scalars(select(AlertSend)).all()
    assert send.sent_at is None
