"""Progress updates render their Markdown; adding a measure and posting an update are audited."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import AuditEvent
from app.extensions import db
from tests.factories import create_pilot


def audited(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_an_update_renders_its_markdown_and_is_audited(client, council, signed_in_editor):
    pilot = create_pilot(council, status="running")
    text = "**Randomisation** done.\n\n- 40 homes\n- 40 controls"
    response = client.post(
        f"/pilots/{pilot.slug}/updates/new", data={"on": ["1", "2", "2026"], "text": text}
    )
    assert response.status_code == 302
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "<strong>Randomisation</strong>" in page and "**Randomisation**" not in page
    assert "<li>40 homes</li>" in page
    [event] = audited("posted-update")
    assert (event.actor_id, event.target_key) == (signed_in_editor.id, pilot.slug)


def test_adding_a_measure_is_audited(client, council, signed_in_editor):
    draft = create_pilot(council, status="draft")
    form = {
        "name": "Calls resolved online", "method": "Counted.", "unit": "%", "target": "80",
        "disproved_if": "60", "direction": "higher", "time_frame": "Six months", "kind": "primary",
    }  # fmt: skip
    assert client.post(f"/pilots/{draft.slug}/measures/new", data=form).status_code == 302
    [event] = audited("added-measure")
    assert event.target_label.endswith("Calls resolved online")
    assert event.council_id == council.id
