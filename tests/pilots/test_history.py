from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from app.content.demo import load_demo
from app.extensions import db
from app.pilots import history
from app.pilots.events import events_for_pilot
from app.pilots.history import AmendmentData, AmendmentError
from app.pilots.models import Pilot, PilotVersion, SuccessMeasure
from tests.factories import create_pilot, create_registered_pilot, reload_pilot


def versions(pilot: Pilot) -> list[PilotVersion]:
    db.session.expire_all()
    return history.versions_of(pilot)


EDIT_FORM = {
    "title": "A new title",
    "lead_council": "AAA",
    "summary": "Changed summary.",
    "hypothesis": "We believe something else entirely.",
    "pillars": ["inclusion"],
    "start_date": ["1", "1", "2026"],
    "planned_end_date": ["31", "12", "2030"],
    "evaluation_design": "5",
}


def test_edit_cannot_change_frozen_fields(client, council, editor, sign_in):
    sign_in(editor)
    pilot = create_registered_pilot(council, evaluation_design=2)
    before = (pilot.hypothesis, pilot.planned_end_date, pilot.evaluation_design)
    form = client.get(f"/pilots/{pilot.slug}/edit").get_data(as_text=True)
    assert 'name="hypothesis"' not in form and "Hypothesis (frozen)" in form
    # A crafted POST that sends the frozen fields anyway
    response = client.post(f"/pilots/{pilot.slug}/edit", data=EDIT_FORM)
    assert response.status_code == 302
    pilot = reload_pilot(pilot)
    assert pilot.title == "A new title"  # the editable field changed
    assert (pilot.hypothesis, pilot.planned_end_date, pilot.evaluation_design) == before
    assert len(versions(pilot)) == 1


def amend_form(pilot, measure, **changes):
    data = {
        "hypothesis": pilot.hypothesis,
        "planned_end_date": [
            str(pilot.planned_end_date.day),
            str(pilot.planned_end_date.month),
            str(pilot.planned_end_date.year),
        ],
        "evaluation_design": str(pilot.evaluation_design or ""),
        f"target_{measure.id}": str(measure.target),
        f"threshold_{measure.id}": str(measure.disproved_if),
        "reason": "The comparison council pulled out.",
    }
    data.update(changes)
    return data


def test_amendment_records_diff_reason_and_version(client, council, editor, sign_in):
    sign_in(editor)
    pilot = create_registered_pilot(council, evaluation_design=3)
    measure = db.session.scalar(select(SuccessMeasure).where(SuccessMeasure.pilot_id == pilot.id))
    response = client.post(
        f"/pilots/{pilot.slug}/amend", data=amend_form(pilot, measure, evaluation_design="2")
    )
    assert response.status_code == 302
    first, minor = versions(pilot)
    assert minor.number == "1.1"
    assert minor.reason == "The comparison council pulled out."
    assert minor.author_id == editor.id
    assert minor.diff == {"evaluation_design": {"from": 3, "to": 2}}
    assert minor.prev_hash == first.content_hash
    assert events_for_pilot(pilot)[-1].kind == "amended"
    assert "this is now version 1.1" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )

    pilot = reload_pilot(pilot)
    response = client.post(
        f"/pilots/{pilot.slug}/amend",
        data=amend_form(pilot, measure, **{f"target_{measure.id}": "75", "reason": "New data"}),
    )
    assert response.status_code == 302
    major = versions(pilot)[-1]
    assert major.number == "2.0"
    assert major.snapshot["measures"][0]["target"] == "75"
    reload_pilot(pilot)
    assert db.session.get(SuccessMeasure, measure.id).target == Decimal("75")

    page = client.get(f"/pilots/{pilot.slug}/history").get_data(as_text=True)
    assert "Version 2.0" in page and "Version 1.1" in page and "Version 1.0" in page
    assert "Share of calls resolved online: target" in page
    assert "Level 3 of 5" in page and "Level 2 of 5" in page and "New data" in page
    assert "Amended 2 times" in client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": ""}, "Give the reason for the amendment"),
        ({}, "Nothing was changed"),
        ({"target_ID": "50"}, "failing side of the target"),
        ({"planned_end_date": ["1", "1", "2020"], "reason": "x"}, "on or after the start date"),
        ({"evaluation_design": "", "reason": "x"}, "keeps its evaluation design"),
    ],
)
def test_bad_amendments_change_nothing(client, council, editor, sign_in, changes, message):
    sign_in(editor)
    pilot = create_registered_pilot(council)
    measure = db.session.scalar(select(SuccessMeasure).where(SuccessMeasure.pilot_id == pilot.id))
    changes = {k.replace("ID", str(measure.id)): v for k, v in changes.items()}
    response = client.post(
        f"/pilots/{pilot.slug}/amend", data=amend_form(pilot, measure, **changes)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(versions(pilot)) == 1
    db.session.expire_all()
    assert db.session.get(SuccessMeasure, measure.id).target == Decimal("80")


def test_versions_cannot_be_edited_or_deleted_through_the_app(council, editor):
    pilot = create_registered_pilot(council)
    version = versions(pilot)[0]
    version.reason = "Rewritten"
    with pytest.raises(history.VersionChangeError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(versions(pilot)[0])
    with pytest.raises(history.VersionChangeError):
        db.session.commit()
    db.session.rollback()


def test_history_verify_passes_on_demo_data_and_names_a_tampered_version(app_ctx):
    load_demo()
    runner = app_ctx.test_cli_runner()
    result = runner.invoke(args=["history", "verify"])
    assert result.exit_code == 0, result.output
    amended = db.session.scalar(
        select(PilotVersion).where(PilotVersion.major == 2).order_by(PilotVersion.id).limit(1)
    )
    slug = db.session.get(Pilot, amended.pilot_id).slug
    # Someone edits the row directly in the database, around the application.
    db.session.execute(
        text("UPDATE pilot_versions SET reason = 'nothing to see' WHERE id = :id"),
        {"id": amended.id},
    )
    db.session.commit()
    result = runner.invoke(args=["history", "verify"])
    assert result.exit_code == 1
    assert f"pilot {slug} version 2.0" in result.output


def test_history_verify_notices_a_broken_link(council, editor, app_ctx):
    pilot = create_registered_pilot(council)
    history.amend_pilot(
        pilot,
        history.AmendmentData("Later end", pilot.hypothesis, date(2027, 1, 1), 2, None, {}),
        editor,
    )
    _first, second = versions(pilot)
    db.session.execute(
        text("UPDATE pilot_versions SET prev_hash = :h WHERE id = :id"),
        {"h": "0" * 64, "id": second.id},
    )
    db.session.commit()
    breaks = history.verify_chain()
    assert [str(b) for b in breaks] == [
        f"pilot {pilot.slug} version 2.0: its link to the previous version is broken"
    ]


def test_import_cannot_change_frozen_fields_and_keeps_the_design(council, editor):
    from app.common.importing import ImportFailed
    from app.pilots.importer import import_pilots

    pilot = create_registered_pilot(council, evaluation_design=4, slug="frozen-one")
    header = "slug,title,lead_council,hypothesis,pillars,status,start_date,planned_end_date\n"
    same = (
        f"frozen-one,New title,AAA,{pilot.hypothesis},inclusion,registered,2026-01-01,2026-06-30\n"
    )
    import_pilots(header + same)
    pilot = reload_pilot(pilot)
    assert pilot.title == "New title" and pilot.evaluation_design == 4
    changed = same.replace(pilot.hypothesis, "A different hypothesis")
    with pytest.raises(ImportFailed) as failure:
        import_pilots(header + changed)
    assert "line 2: hypothesis: it is frozen on registered pilot frozen-one" in str(
        failure.value.errors[0]
    )
    pilot = reload_pilot(pilot)
    assert pilot.hypothesis != "A different hypothesis" and len(versions(pilot)) == 1


def test_closed_records_cannot_be_amended(client, council, editor, sign_in):
    sign_in(editor)
    pilot = create_registered_pilot(council)
    measure = db.session.scalar(select(SuccessMeasure).where(SuccessMeasure.pilot_id == pilot.id))
    pilot.status = "withdrawn"
    db.session.commit()
    response = client.post(
        f"/pilots/{pilot.slug}/amend",
        data=amend_form(pilot, measure, hypothesis="Changed after withdrawal", reason="x"),
    )
    assert response.status_code == 400
    assert "closed record" in response.get_data(as_text=True)
    assert len(versions(pilot)) == 1


def test_history_verify_notices_frozen_fields_changed_around_the_app(app_ctx):
    load_demo()
    runner = app_ctx.test_cli_runner()
    pilot = db.session.scalar(
        select(Pilot).where(Pilot.status == "running").order_by(Pilot.slug).limit(1)
    )
    db.session.execute(
        text("UPDATE pilots SET hypothesis = 'Rewritten quietly' WHERE id = :id"),
        {"id": pilot.id},
    )
    db.session.commit()
    result = runner.invoke(args=["history", "verify"])
    assert result.exit_code == 1
    assert f"pilot {pilot.slug}" in result.output
    assert "hypothesis no longer match" in result.output


def test_the_service_refuses_to_amend_a_draft_with_the_message_users_see(council, editor):
    draft = create_pilot(council, status="draft")
    change = AmendmentData("Because", "New hypothesis", date(2026, 7, 1), 2, None, {})
    with pytest.raises(AmendmentError, match=r"^A draft is not frozen yet: edit it instead$"):
        history.amend_pilot(draft, change, editor)
    assert reload_pilot(draft).hypothesis != "New hypothesis"


def test_the_amend_page_sends_a_draft_to_its_edit_form(client, sign_in, council, editor):
    draft = create_pilot(council, status="draft")
    sign_in(editor)
    response = client.get(f"/pilots/{draft.slug}/amend", follow_redirects=True)
    assert response.request.path == f"/pilots/{draft.slug}/edit"
    assert "A draft is not frozen yet: edit it instead." in response.get_data(as_text=True)
