"""Residents' comments are published only once a council admin approves them, and only with the
results; hiding keeps one off for good. Who decided and when is recorded and audited."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import AuditEvent
from app.choosing.models.consultations import ConsultationAnswer
from app.extensions import db


def _comment(client, consultation, text: str) -> ConsultationAnswer:
    client.post(
        f"/consultations/{consultation.id}/answer",
        data={"choices": consultation.options[0].id, "comment": text},
    )
    return db.session.scalars(
        select(ConsultationAnswer).where(ConsultationAnswer.comment == text)
    ).one()


def test_approved_comments_are_published_with_the_results_and_hidden_ones_never(
    app_ctx, client, sign_in, consulting
):
    consultation = consulting.consultation
    kind = _comment(client, consultation, "Please grit the hill on Holland Park Avenue")
    rude = _comment(app_ctx.test_client(), consultation, "Something nobody should publish")
    sign_in(consulting.council_admin)

    listed = client.get(f"/consultations/{consultation.id}/comments").get_data(as_text=True)
    assert "Please grit the hill" in listed and "nobody should publish" in listed
    client.post(
        f"/consultations/{consultation.id}/comments/{kind.id}", data={"decision": "approve"}
    )
    client.post(f"/consultations/{consultation.id}/comments/{rude.id}", data={"decision": "hide"})

    db.session.expire_all()
    assert kind.comment_status == "approved" and kind.moderated_by_id == consulting.council_admin.id
    assert kind.moderated_at is not None
    assert rude.comment_status == "hidden"
    page = app_ctx.test_client().get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Please grit the hill" not in page  # not until the consultation closes
    sign_in(consulting.editor)
    client.post(f"/consultations/{consultation.id}/close")
    page = app_ctx.test_client().get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Please grit the hill" in page
    assert "nobody should publish" not in page
    actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "comment approved" in actions and "comment hidden" in actions


def test_a_comment_of_another_consultation_cannot_be_moderated_here(client, sign_in, consulting):
    from tests.factories import create_consultation

    other = create_consultation(consulting.council)
    comment = _comment(client, other, "Elsewhere")
    sign_in(consulting.council_admin)

    response = client.post(
        f"/consultations/{consulting.consultation.id}/comments/{comment.id}",
        data={"decision": "approve"},
    )

    assert response.status_code == 400
    db.session.expire_all()
    assert comment.comment_status == "waiting"


def test_an_editor_cannot_moderate(client, sign_in, consulting):
    comment = _comment(client, consulting.consultation, "Editors keep out")
    sign_in(consulting.editor)
    response = client.post(
        f"/consultations/{consulting.consultation.id}/comments/{comment.id}",
        data={"decision": "approve"},
    )
    assert response.status_code == 403
