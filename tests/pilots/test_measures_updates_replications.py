from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.pilots import measures, updates
from app.pilots.measures import MeasureData
from app.pilots.models import Pilot, SuccessMeasure
from tests.factories import (
    create_council,
    create_measure,
    create_outcome,
    create_pilot,
    create_registered_pilot,
    create_user,
)

MEASURE_FORM = {
    "name": "Calls about bins",
    "method": "Counted from the telephony system.",
    "unit": "calls",
    "baseline": "1,200",
    "target": "900",
    "disproved_if": "1150",
    "direction": "lower",
    "time_frame": "Six months",
    "kind": "primary",
}


def measures_of(pilot):
    db.session.expire_all()
    return list(
        db.session.scalars(select(SuccessMeasure).where(SuccessMeasure.pilot_id == pilot.id))
    )


def test_measures_are_managed_on_the_draft_and_shown(client, council, editor, sign_in):
    sign_in(editor)
    draft = create_pilot(council, status="draft")
    response = client.post(f"/pilots/{draft.slug}/measures/new", data=MEASURE_FORM)
    assert response.status_code == 302
    (measure,) = measures_of(draft)
    assert (measure.baseline, measure.target, measure.post_hoc) == (1200, 900, False)
    page = client.get(f"/pilots/{draft.slug}").get_data(as_text=True)
    assert "Calls about bins" in page and "900 calls" in page and "Post-hoc</strong>" not in page
    response = client.post(
        f"/pilots/{draft.slug}/measures/{measure.id}/edit", data={**MEASURE_FORM, "target": "800"}
    )
    client.get(response.headers["Location"])
    assert measures_of(draft)[0].target == 800
    client.post(f"/pilots/{draft.slug}/measures/{measure.id}/delete")
    assert measures_of(draft) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"disproved_if": "800"}, "disproved-if value must be above the target"),
        ({"target": "lots"}, "Target must be a number"),
        ({"direction": ""}, "Choose whether higher or lower is better"),
        ({"name": ""}, "Enter the name of the measure"),
    ],
)
def test_bad_measures_are_refused_with_a_message(
    client, council, editor, sign_in, changes, message
):
    sign_in(editor)
    draft = create_pilot(council, status="draft")
    response = client.post(f"/pilots/{draft.slug}/measures/new", data={**MEASURE_FORM, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert measures_of(draft) == []


def test_measures_added_after_registration_are_post_hoc(client, council, editor, sign_in):
    sign_in(editor)
    pilot = create_registered_pilot(council)
    client.post(f"/pilots/{pilot.slug}/measures/new", data=MEASURE_FORM)
    added = next(m for m in measures_of(pilot) if m.name == "Calls about bins")
    assert added.post_hoc
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Post-hoc</strong>" in page and "do not decide the verdict" in page
    # Registered measures are frozen: no edit, no delete
    frozen = next(m for m in measures_of(pilot) if not m.post_hoc)
    url = f"/pilots/{pilot.slug}/measures/{frozen.id}"
    assert client.post(url + "/edit", data=MEASURE_FORM).status_code == 400
    assert client.post(url + "/delete").status_code == 400
    assert len(measures_of(pilot)) == 2


def test_progress_updates_appear_in_date_order(client, council, editor, sign_in):
    sign_in(editor)
    pilot = create_pilot(council, status="running")
    url = f"/pilots/{pilot.slug}/updates/new"
    for day, note in (("10", "Second note"), ("1", "First note")):
        response = client.post(url, data={"on": [day, "2", "2026"], "text": note})
        client.get(response.headers["Location"])  # shows the flash message
    response = client.post(url, data={"on": ["1", "2", "2026"], "text": ""})
    assert response.status_code == 400 and "Write the update" in response.get_data(as_text=True)
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert page.index("First note") < page.index("Second note")
    assert "1 February 2026" in page


def test_replications_are_listed_with_an_evidence_summary(client, council, editor, sign_in):
    original = create_pilot(council, title="Original idea", status="concluded", verdict="proved")
    verdicts = ["proved", "proved", "disproved", "inconclusive"]
    for n, verdict in enumerate(verdicts):
        other = create_pilot(
            create_council(nice_name=f"Copyshire {n}"),
            status="running",
            replicates=original,
            replication_kind="replicates",
        )
        create_outcome(other, date(2026, 1, 1), verdict)
    page = client.get(f"/pilots/{original.slug}").get_data(as_text=True)
    assert "Tried by 5 councils: 3 proved, 1 disproved, 1 inconclusive" in page
    assert "Copyshire 2" in page
    child = db.session.scalar(select(Pilot).where(Pilot.replicates_id == original.id))
    child_page = client.get(f"/pilots/{child.slug}").get_data(as_text=True)
    assert "This pilot replicates" in child_page and "Original idea" in child_page


def test_a_pilot_says_what_it_replicates_on_the_form(client, council, editor, sign_in):
    sign_in(editor)
    earlier = create_pilot(create_council(), title="Earlier pilot")
    draft = create_pilot(council, status="draft", title="Later pilot")
    form = {
        "title": "Later pilot",
        "lead_council": "AAA",
        "summary": "S",
        "hypothesis": "H",
        "pillars": ["inclusion"],
        "replicates": f"https://example.org/pilots/{earlier.slug}",
    }
    response = client.post(f"/pilots/{draft.slug}/edit", data=form)
    assert response.status_code == 400
    assert "Say whether it replicates or adapts" in response.get_data(as_text=True)
    response = client.post(
        f"/pilots/{draft.slug}/edit", data={**form, "replication_kind": "adapts"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    later = db.session.get(Pilot, draft.id)
    assert later.replicates_id == earlier.id and later.replication_kind == "adapts"
    response = client.post(f"/pilots/{draft.slug}/edit", data={**form, "replicates": "nope"})
    assert response.status_code == 400
    assert "There is no public pilot" in response.get_data(as_text=True)
    create_measure(later)


def test_a_threshold_on_the_wrong_side_is_refused_on_its_field(council, editor):
    draft = create_pilot(council, status="draft")
    data = MeasureData(
        "Calls", "Counted", "calls", None, Decimal("900"), Decimal("800"), "lower", "Six months",
        "primary",
    )  # fmt: skip
    with pytest.raises(measures.MeasureError) as refused:
        measures.save_measure(draft, None, data, editor)
    assert (refused.value.field, str(refused.value)) == (
        "disproved_if",
        "When lower is better, the disproved-if value must be above the target",
    )
    assert measures_of(draft) == []


def test_updates_are_offered_to_the_pilots_councils_while_it_is_under_way(council, editor):
    partner = create_council()
    running = create_pilot(council, status="running", partners=[partner])
    assert updates.can_post_update(editor, running)
    assert updates.can_post_update(create_user("editor", partner), running)
    assert not updates.can_post_update(create_user("editor", create_council()), running)
    assert not updates.can_post_update(None, running)
    assert not updates.can_post_update(editor, create_pilot(council, status="concluded"))
