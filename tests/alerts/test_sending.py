"""News reaches the alerts it concerns through the queue, after the commit; every email carries
one-click unsubscribe and the manage link; each is sent once, however a job is retried."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.alerts.delivery import EXTENSION_KEY, SmtpBackend
from app.alerts.models import AlertSend
from app.alerts.tasks import digest_period, queue_digests
from app.common.db_types import utcnow
from app.extensions import db
from app.pilots.events import record_event
from tests.alerts.conftest import BASE_URL, create_alert
from tests.factories import create_council, create_pilot, create_progress_update


def test_news_of_a_followed_pilot_is_mailed_once_the_change_is_committed(jobs, mailbox):
    pilot = create_pilot(create_council(), title="Library chatbot")
    slug = pilot.slug  # the worker's job ends its session: the test's objects go with it
    create_alert("reader@example.org", "pilot", str(pilot.id))
    record_event(pilot, "started", None, "Started on 1 April")
    assert jobs.waiting() == 0  # nothing is queued before the commit
    db.session.commit()
    assert jobs.waiting() == 1
    jobs.run()

    [message] = mailbox.received
    assert message["To"] == "reader@example.org"
    assert message["Subject"] == "Started: Library chatbot"
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{BASE_URL}/alerts/unsubscribe/") and unsubscribe.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not message.is_multipart() and message.get_content_type() == "text/plain"
    body = message.get_content()
    assert "Started on 1 April" in body
    assert f"{BASE_URL}/alerts/manage/" in body and f"{BASE_URL}/pilots/{slug}" in body
    assert "<img" not in body


def test_a_rolled_back_change_queues_nothing(jobs):
    pilot = create_pilot(create_council())
    record_event(pilot, "started", None, "Started")
    db.session.rollback()
    assert jobs.waiting() == 0


def test_unconfirmed_alerts_and_other_things_get_nothing(jobs, mailbox):
    council = create_council(code="ABC")
    pilot = create_pilot(council, pillars=["inclusion"])
    create_alert("waiting@example.org", "pilot", str(pilot.id), confirmed=False)
    create_alert("other@example.org", "council", "ZZZ")
    create_alert("weekly@example.org", "council", "ABC", "weekly")
    create_alert("pillar@example.org", "pillar", "inclusion")
    create_alert("council@example.org", "council", "ABC")
    record_event(pilot, "concluded", None, "Concluded: proved")
    db.session.commit()
    jobs.run()
    assert sorted(m["To"] for m in mailbox.received) == [
        "council@example.org", "pillar@example.org",
    ]  # fmt: skip


def test_a_progress_update_is_news_too(jobs, mailbox):
    pilot = create_pilot(create_council())
    create_alert("reader@example.org", "pilot", str(pilot.id))
    create_progress_update(pilot, "Halfway: 40 residents served")
    jobs.run()
    [message] = mailbox.received
    assert message["Subject"].startswith("Progress update: ")
    assert "Halfway: 40 residents served" in message.get_content()


def test_a_saved_search_hears_of_a_new_pilot_it_finds(jobs, mailbox, whoosh):
    create_alert("finder@example.org", "search", "q=chatbot")
    create_alert("other@example.org", "search", "q=potholes")
    pilot = create_pilot(create_council(), title="Council tax chatbot", status="registered")
    record_event(pilot, "registered", None, "Registered: Council tax chatbot")
    db.session.commit()
    jobs.run()
    assert [m["To"] for m in mailbox.received] == ["finder@example.org"]


def test_a_title_cannot_add_headers_to_an_email(jobs, mailbox):
    title = "Bins\r\nBcc: victim@example.net\r\nX-Injected: yes"
    pilot = create_pilot(create_council(), title=title)
    create_alert("reader@example.org", "pilot", str(pilot.id))
    record_event(pilot, "started", None, "Started")
    db.session.commit()
    jobs.run()
    [message] = mailbox.received
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert message["Subject"] == "Started: Bins Bcc: victim@example.net X-Injected: yes"
    assert mailbox.envelopes == [["reader@example.org"]]


class KilledAfterSending(BaseException):
    """Stands for the worker's death: no `except Exception` runs, as none would in a killed
    process."""


class DiesAfterSending(SmtpBackend):
    def send(self, email) -> None:  # type: ignore[no-untyped-def]
        super().send(email)
        raise KilledAfterSending


def test_a_job_retried_after_the_worker_died_mid_send_sends_no_second_copy(app_ctx, jobs, mailbox):
    pilot = create_pilot(create_council())
    create_alert("reader@example.org", "pilot", str(pilot.id))
    record_event(pilot, "withdrawn", None, "Withdrawn: no money")
    db.session.commit()
    app_ctx.extensions[EXTENSION_KEY] = DiesAfterSending()
    try:
        jobs.run()
    finally:
        del app_ctx.extensions[EXTENSION_KEY]
    assert len(mailbox.received) == 1
    assert jobs.release_retries() == 1  # RQ scheduled the retry
    jobs.run()
    assert len(mailbox.received) == 1
    assert jobs.failed() == [] and jobs.waiting() == 0
    [send] = db.session.scalars(select(AlertSend)).all()
    assert send.sent_at is None  # the intent, never marked: the retry did not send again


class MailServerDown(SmtpBackend):
    def send(self, email) -> None:  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("mail server down")


def test_a_send_that_failed_is_retried_and_arrives_once(app_ctx, jobs, mailbox):
    pilot = create_pilot(create_council())
    create_alert("reader@example.org", "pilot", str(pilot.id))
    record_event(pilot, "stopped", None, "Stopped")
    db.session.commit()
    app_ctx.extensions[EXTENSION_KEY] = MailServerDown()
    try:
        jobs.run()
    finally:
        del app_ctx.extensions[EXTENSION_KEY]
    assert mailbox.received == [] and db.session.scalars(select(AlertSend)).all() == []
    assert jobs.release_retries() == 1
    jobs.run()
    jobs.release_retries()
    jobs.run()
    assert len(mailbox.received) == 1
    assert db.session.scalar(select(AlertSend.sent_at)) is not None


def _last_week_event(pilot, summary: str) -> None:
    start, _end = digest_period(utcnow())
    record_event(pilot, "started", None, summary).at = start + timedelta(days=2)
    db.session.commit()


def test_the_weekly_digest_gathers_last_weeks_news_and_is_sent_once(jobs, mailbox):
    council = create_council(code="ABC", nice_name="Abbeyton")
    first, second = create_pilot(council, title="First"), create_pilot(council, title="Second")
    create_alert("weekly@example.org", "council", "ABC", "weekly")
    _last_week_event(first, "First started")
    _last_week_event(second, "Second started")
    jobs.run()  # the events' own jobs: a weekly alert gets nothing straight away
    assert mailbox.received == []

    assert queue_digests(utcnow()) == 1
    queue_digests(utcnow())  # the scheduler ran the command twice
    jobs.run()
    [digest] = mailbox.received
    assert digest["Subject"] == "Your weekly digest from Proving Ground"
    body = digest.get_content()
    assert "Abbeyton" in body and "First started" in body and "Second started" in body
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_digest_for_an_address_whose_alerts_were_all_deleted_sends_nothing(jobs, mailbox):
    pilot = create_pilot(create_council(code="ABC"))
    alert = create_alert("weekly@example.org", "council", "ABC", "weekly")
    _last_week_event(pilot, "Started")
    queue_digests(utcnow())
    db.session.delete(alert.address)
    db.session.commit()
    jobs.run()
    assert mailbox.received == []
    assert queue_digests(utcnow()) == 0
