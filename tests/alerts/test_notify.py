"""The GOV.UK Notify backend, against a local HTTP server that answers the endpoint the client
calls (POST /v2/notifications/email) and checks its token as Notify does."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import jwt
import pytest
from flask import Flask

from app.extensions import db
from app.pilots.events import record_event
from tests.alerts.conftest import BASE_URL, create_alert
from tests.factories import create_council, create_pilot

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
TEMPLATE_ID = str(uuid.uuid4())


class FakeNotify(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ok = self.path == "/v2/notifications/email" and claims["iss"] == SERVICE_ID
        if ok:
            self.received.append(body)
        self.send_response(201 if ok else 403)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(
            json.dumps({"id": str(uuid.uuid4()), "reference": body.get("reference")}).encode()
        )

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def notify(app_ctx: Flask) -> Iterator[list[dict[str, Any]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    names = ("MAIL_BACKEND", "NOTIFY_API_KEY", "NOTIFY_BASE_URL", "NOTIFY_TEMPLATE_ID")
    saved = {name: app_ctx.config[name] for name in names}
    app_ctx.config.update(
        MAIL_BACKEND="notify",
        NOTIFY_API_KEY=f"proving_ground_test-{SERVICE_ID}-{SECRET}",
        NOTIFY_BASE_URL=f"http://127.0.0.1:{server.server_address[1]}",
        NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
    )
    FakeNotify.received = []
    try:
        yield FakeNotify.received
    finally:
        server.shutdown()
        server.server_close()
        app_ctx.config.update(saved)


def test_notify_gets_the_template_the_words_and_the_one_click_unsubscribe(jobs, notify):
    pilot = create_pilot(create_council(), title="Library chatbot")
    create_alert("reader@example.org", "pilot", str(pilot.id))
    record_event(pilot, "started", None, "Started on 1 April")
    db.session.commit()
    jobs.run()
    [sent] = notify
    assert sent["email_address"] == "reader@example.org"
    assert sent["template_id"] == TEMPLATE_ID
    assert sent["personalisation"]["subject"] == "Started: Library chatbot"
    assert "Started on 1 April" in sent["personalisation"]["body"]
    assert f"{BASE_URL}/alerts/manage/" in sent["personalisation"]["body"]
    assert sent["one_click_unsubscribe_url"].startswith(f"{BASE_URL}/alerts/unsubscribe/")
    assert sent["reference"].startswith("notice:")
    jobs.run()
    assert len(notify) == 1


def test_a_confirmation_goes_through_notify_too(client, jobs, notify):
    pilot = create_pilot(create_council())
    client.post(f"/alerts/new?pilot={pilot.slug}", data={"email": "n@example.org",
                                                         "frequency": "weekly"})  # fmt: skip
    jobs.run()
    [sent] = notify
    assert sent["personalisation"]["subject"] == "Confirm your email alerts from Proving Ground"
    assert f"{BASE_URL}/alerts/confirm/" in sent["personalisation"]["body"]
