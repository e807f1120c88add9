from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.pilots import history, results
from app.pilots.events import events_for_pilot
from app.pilots.lifecycle import TransitionError
from app.pilots.models import OutcomeReport, Pilot, SuccessMeasure
from app.pilots.results import MeasuredValue, OutcomeData, propose_verdict
from tests.factories import create_council, create_measure, create_registered_pilot, create_user


def measure(direction="higher", target="80", threshold="60", kind="primary", post_hoc=False):
    return SuccessMeasure(
        name="m",
        direction=direction,
        target=Decimal(target),
        disproved_if=Decimal(threshold),
        kind=kind,
        post_hoc=post_hoc,
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([(measure(), "80"), (measure(), "95")], "proved"),  # all met (target exactly met)
        ([(measure(), "90"), (measure(), "60")], "disproved"),  # one at its threshold
        ([(measure(), "70"), (measure(), "90")], "inconclusive"),  # between the two
        ([(measure(), "90"), (measure(), None)], "inconclusive"),  # one not measured
        ([(measure("lower", "22", "28"), "19")], "proved"),
        ([(measure("lower", "22", "28"), "28.5")], "disproved"),
        ([(measure("lower", "22", "28"), "25")], "inconclusive"),
        # Secondary and post-hoc measures never decide the verdict
        ([(measure(), "90"), (measure(kind="secondary"), "10")], "proved"),
        ([(measure(), "90"), (measure(post_hoc=True), "10")], "proved"),
        ([(measure(kind="secondary"), "90")], "inconclusive"),
    ],
)
def test_proposed_verdict_follows_the_rule(app_ctx, values, expected):
    pairs = [(m, Decimal(v) if v is not None else None) for m, v in values]
    assert propose_verdict(pairs) == expected


@pytest.fixture
def running(council):
    pilot = create_registered_pilot(council, evaluation_design=3)
    pilot.status = "running"
    db.session.commit()
    return pilot


def first_measure(pilot: Pilot) -> SuccessMeasure:
    # In id order: PostgreSQL returns rows in no set order, and an updated row moves.
    return db.session.scalar(
        select(SuccessMeasure)
        .where(SuccessMeasure.pilot_id == pilot.id)
        .order_by(SuccessMeasure.id)
    )


def results_form(pilot: Pilot, value: str, **extra):
    m = first_measure(pilot)
    data = {
        f"value_{m.id}": value,
        f"on_{m.id}": ["30", "6", "2026"],
        f"url_{m.id}": "https://example.org/evidence",
        f"evidence_{m.id}": "Contact centre report",
        "actual_end_date": ["30", "6", "2026"],
        "narrative": "Residents used it.",
        "advice": "Start small.",
        "submit": "Conclude the pilot",
    }
    data.update(extra)
    return data


def test_preview_shows_the_proposed_verdict_without_concluding(client, running, editor, sign_in):
    sign_in(editor)
    response = client.post(
        f"/pilots/{running.slug}/results", data=results_form(running, "85", preview="Check")
    )
    assert response.status_code == 200
    assert "the registry proposes: <strong>proved</strong>" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Pilot, running.id).status == "running"


def test_confirming_the_proposal_concludes(client, running, editor, sign_in):
    sign_in(editor)
    response = client.post(
        f"/pilots/{running.slug}/results", data=results_form(running, "85", verdict="proved")
    )
    assert response.status_code == 302
    db.session.expire_all()
    pilot = db.session.get(Pilot, running.id)
    assert (pilot.status, pilot.verdict, pilot.actual_end_date) == (
        "concluded",
        "proved",
        date(2026, 6, 30),
    )
    event = events_for_pilot(pilot)[-1]
    assert event.kind == "concluded" and event.detail["verdict"] == "proved"
    assert event.actor_id == editor.id


def test_override_needs_a_justification_and_shows_both(client, running, editor, sign_in):
    sign_in(editor)
    url = f"/pilots/{running.slug}/results"
    response = client.post(url, data=results_form(running, "85", verdict="inconclusive"))
    assert response.status_code == 400
    assert "The registry proposes proved; explain why" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Pilot, running.id).status == "running"
    assert db.session.scalar(select(OutcomeReport)) is None

    response = client.post(
        url,
        data=results_form(
            running, "85", verdict="inconclusive", justification="The comparison group shrank."
        ),
    )
    assert response.status_code == 302
    page = client.get(f"/pilots/{running.slug}").get_data(as_text=True)
    assert "The registry proposed <strong>proved</strong>" in page
    assert "overrode it to <strong>inconclusive</strong>." in page
    assert "Why: The comparison group shrank." in page


def test_only_a_running_pilot_can_report(client, council, editor, sign_in):
    sign_in(editor)
    registered = create_registered_pilot(council)
    response = client.post(
        f"/pilots/{registered.slug}/results", data=results_form(registered, "85", verdict="proved")
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Pilot, registered.id).status == "registered"


def test_a_verdict_changes_afterwards_only_by_amendment(client, running, editor, sign_in):
    sign_in(editor)
    client.post(
        f"/pilots/{running.slug}/results", data=results_form(running, "85", verdict="proved")
    )
    db.session.expire_all()
    pilot = db.session.get(Pilot, running.id)
    # The results form no longer accepts a report
    response = client.post(
        f"/pilots/{pilot.slug}/results", data=results_form(pilot, "10", verdict="disproved")
    )
    assert response.status_code == 400
    history.amend_pilot(
        pilot,
        history.AmendmentData(
            "A data error was found",
            pilot.hypothesis,
            pilot.planned_end_date,
            pilot.evaluation_design,
            "inconclusive",
            {},
        ),
        editor,
    )
    db.session.expire_all()
    pilot = db.session.get(Pilot, running.id)
    assert pilot.verdict == "inconclusive"
    assert history.versions_of(pilot)[-1].diff["verdict"] == {
        "from": "proved",
        "to": "inconclusive",
    }


def test_concluded_pilot_page_tells_the_story_at_a_glance(client, running, editor, sign_in):
    sign_in(editor)
    registered_hypothesis = running.hypothesis
    m = db.session.scalar(select(SuccessMeasure).where(SuccessMeasure.pilot_id == running.id))
    history.amend_pilot(
        running,
        history.AmendmentData(
            "Clearer wording",
            "We believe a clearer thing.",
            running.planned_end_date,
            3,
            None,
            {m.id: (Decimal("75"), Decimal("60"))},
        ),
        editor,
    )
    create_measure(running, name="Post-hoc satisfaction", kind="secondary", post_hoc=True)
    client.post(
        f"/pilots/{running.slug}/results", data=results_form(running, "77", verdict="proved")
    )
    sign_in(create_user())  # a member of the public
    page = client.get(f"/pilots/{running.slug}").get_data(as_text=True)
    assert "Hypothesis as registered" in page and registered_hypothesis in page
    assert "We believe a clearer thing." in page
    assert "Amended 1 time" in page
    assert ">75%<" in page.replace("</td>", "<").replace('<td class="govuk-table__cell">', ">")
    assert "77%" in page and "Target met" in page
    assert 'govuk-tag--green">Proved' in page
    assert "Evidence level 3 of 5" in page
    assert "Post-hoc</strong>" in page


@pytest.mark.parametrize("field", ["actual_end_date", "on"])
def test_results_cannot_be_dated_in_the_future(client, running, editor, sign_in, field):
    sign_in(editor)
    data = results_form(running, "85", verdict="proved")
    key = field if field == "actual_end_date" else next(k for k in data if k.startswith("on_"))
    data[key] = ["1", "1", "2099"]
    response = client.post(f"/pilots/{running.slug}/results", data=data)
    assert response.status_code == 400
    assert "cannot be in the future" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Pilot, running.id).status == "running"


def test_only_a_running_pilot_reports_its_outcome(council, editor):
    registered = create_registered_pilot(council)
    data = OutcomeData([], "What we learnt", "", "inconclusive", actual_end_date=date(2026, 6, 1))
    message = "^This pilot is registered; only a running pilot reports its outcome$"
    with pytest.raises(TransitionError, match=message):
        results.conclude_pilot(registered, data, editor, date(2026, 7, 1))
    assert not results.can_report(editor, registered)


def test_an_outcome_report_with_problems_names_each_field(running, editor):
    measure = first_measure(running)
    data = OutcomeData(
        [MeasuredValue(measure, Decimal("85"), date(2026, 8, 1))],
        narrative=" ",
        advice="",
        verdict="disproved",
        actual_end_date=date(2026, 6, 30),
    )
    with pytest.raises(results.OutcomeError) as refused:
        results.conclude_pilot(running, data, editor, date(2026, 7, 1))
    assert refused.value.problems == {
        f"on_{measure.id}": "The date measured cannot be in the future",
        "justification": "The registry proposes proved; explain why the verdict is disproved",
        "narrative": "Say what was learnt",
    }
    assert results.can_report(editor, running)
    assert not results.can_report(create_user("editor", create_council()), running)
