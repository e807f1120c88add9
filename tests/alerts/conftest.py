"""Alert tests deliver through a real SMTP server in this process (aiosmtpd) and read what it got
with the email package, as a mail client would; jobs go through a real Redis queue of the test's
own and are run by a real RQ worker (in-process, burst mode)."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry
from sqlalchemy import select

from app.alerts.models import Alert, AlertAddress
from app.alerts.queue import alert_queue
from app.extensions import db
from tests.faults.gunicorn_server import free_port

PROJECT = Path(__file__).resolve().parents[2]
BASE_URL = "https://registry.example"


@dataclass
class Mailbox:
    """What the SMTP server accepted, parsed as a mail client would."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[list[str]] = field(default_factory=list)
    on_message: Callable[[], None] | None = None  # run as each message arrives

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(message_from_bytes(envelope.content, policy=default))  # type: ignore[arg-type]
        self.envelopes.append(list(envelope.rcpt_tos))
        if self.on_message is not None:
            self.on_message()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


@pytest.fixture
def mailbox(app_ctx: Flask) -> Iterator[Mailbox]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app_ctx.config[k] for k in ("MAIL_BACKEND", "SMTP_HOST", "SMTP_PORT")}
    app_ctx.config.update(
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
    )
    try:
        yield box
    finally:
        controller.stop()
        app_ctx.config.update(saved)


def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL") or subprocess.run(
        ["bash", "scripts/ensure-redis.sh"], cwd=PROJECT, capture_output=True, text=True,
        check=True,
    ).stdout.strip()  # fmt: skip


class Jobs:
    """The test's own queue, and a worker to run what is on it."""

    def __init__(self, queue: Queue) -> None:
        self.queue = queue

    def run(self) -> None:
        """Run every waiting job, as `flask alerts worker --burst` would."""
        SimpleWorker([self.queue], connection=self.queue.connection).work(
            burst=True, logging_level="WARNING"
        )

    def release_retries(self) -> int:
        """The retry waits are over: put each scheduled retry back on the queue."""
        registry = ScheduledJobRegistry(queue=self.queue)
        ids = registry.get_job_ids()
        for job_id in ids:
            registry.remove(job_id)
            self.queue.enqueue_job(Job.fetch(job_id, connection=self.queue.connection))
        return len(ids)

    def failed(self) -> list[str]:
        return FailedJobRegistry(queue=self.queue).get_job_ids()

    def waiting(self) -> int:
        return self.queue.count


@pytest.fixture
def jobs(app_ctx: Flask) -> Iterator[Jobs]:
    names = ("ALERTS_QUEUE_ENABLED", "ALERTS_QUEUE", "ALERTS_REDIS_URL", "SERVER_BASE_URL")
    saved = {name: app_ctx.config[name] for name in names}
    app_ctx.config.update(
        ALERTS_QUEUE_ENABLED=True,
        ALERTS_QUEUE=f"test-alerts-{uuid.uuid4().hex[:10]}",
        ALERTS_REDIS_URL=redis_url(),
        SERVER_BASE_URL=BASE_URL,
    )
    queue = alert_queue()
    try:
        yield Jobs(queue)
    finally:
        connection: Redis = queue.connection
        for registry in (queue.finished_job_registry, queue.failed_job_registry,
                         queue.scheduled_job_registry, queue.started_job_registry):  # fmt: skip
            for job_id in registry.get_job_ids():
                connection.delete(Job.key_for(job_id))
        for job_id in queue.job_ids:
            connection.delete(Job.key_for(job_id))
        for key in connection.scan_iter(f"*{queue.name}*"):
            connection.delete(key)
        connection.close()
        app_ctx.config.update(saved)


def create_alert(
    email: str, kind: str, key: str, frequency: str = "immediate", confirmed: bool = True
) -> Alert:
    """A confirmed (or waiting) alert of the address, which is made if new."""
    from app.common.db_types import utcnow

    address = db.session.scalar(select(AlertAddress).where(AlertAddress.email == email))
    if address is None:
        address = AlertAddress(email=email)
        db.session.add(address)
    alert = Alert(address=address, subject_kind=kind, subject_key=key, frequency=frequency,
                  confirmed_at=utcnow() if confirmed else None)  # fmt: skip
    db.session.add(alert)
    db.session.commit()
    return alert
