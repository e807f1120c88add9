"""Residents' priorities through the web: an editor sets up and opens a consultation, residents
answer online without an account, staff enter answers taken offline, and closing publishes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import AuditEvent
from app.choosing.models.consultations import Consultation, ConsultationAnswer
from app.choosing.models.ideas import Idea
from app.common.db_types import utcnow
from app.extensions import db
from tests.factories import create_consultation


def _answers() -> int:
    return db.session.scalar(select(func.count(ConsultationAnswer.id))) or 0


def _form(**changes: object) -> dict[str, object]:
    closes = utcnow().date() + timedelta(days=10)
    form: dict[str, object] = {
        "question": "Which services should we improve first?",
        "service_areas": ["Roads and transport", "Children's services"],
        "other_options": "Street lighting",
        "answer_mode": "pick",
        "max_choices": "2",
        "closes_on": [str(closes.day), str(closes.month), str(closes.year)],
    }
    form.update(changes)
    return form


def test_editor_creates_and_opens_a_consultation_which_publishes_its_ideas(
    client, sign_in, consulting
):
    idea = Idea(
        council=consulting.council, title="Gritting app", raised_by="member", cost_band="under-10k"
    )
    db.session.add(idea)
    db.session.commit()
    sign_in(consulting.editor)

    response = client.post("/councils/kec/consultations/new", data=_form(ideas=[str(idea.id)]))

    assert response.status_code == 302, response.get_data(as_text=True)
    created = db.session.scalars(select(Consultation).order_by(Consultation.id.desc())).first()
    assert created.status == "draft"
    assert [o.label for o in created.options] == [
        "Roads and transport",
        "Children's services",
        "Street lighting",
        "Gritting app",
    ]
    client.post(f"/consultations/{created.id}/open")
    db.session.expire_all()
    assert created.status == "open"
    assert db.session.get(Idea, idea.id).published_at is not None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"created", "opened"} <= actions


def test_a_draft_is_seen_only_by_its_council(client, sign_in, consulting):
    draft = create_consultation(consulting.council, status="draft")
    assert client.get(f"/consultations/{draft.id}").status_code == 404
    sign_in(consulting.editor)
    assert client.get(f"/consultations/{draft.id}").status_code == 200


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"service_areas": ["Housing"], "other_options": ""}, "at least 2 options"),
        ({"max_choices": "5"}, "between 1 and the number of options (3)"),
        ({"closes_on": ["1", "1", "2020"]}, "today or in the future"),
        ({"service_areas": ["Not a service"]}, "Choose service areas from the list"),
    ],
)
def test_bad_consultation_is_explained_and_saves_nothing(
    client, sign_in, consulting, changes, message
):
    sign_in(consulting.editor)
    before = db.session.scalar(select(func.count(Consultation.id)))

    response = client.post("/councils/kec/consultations/new", data=_form(**changes))

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Consultation.id))) == before


def test_anyone_answers_online_once_per_browser_session(client, consulting):
    consultation = consulting.consultation
    option = consultation.options[0]

    first = client.post(f"/consultations/{consultation.id}/answer", data={"choices": option.id})
    second = client.post(f"/consultations/{consultation.id}/answer", data={"choices": option.id})

    assert first.status_code == 302
    assert second.status_code == 400
    assert "already answered" in second.get_data(as_text=True)
    assert _answers() == 1
    assert "You have answered" in client.get(f"/consultations/{consultation.id}").get_data(
        as_text=True
    )


def test_another_browser_may_answer(app_ctx, client, consulting):
    consultation = consulting.consultation
    option = consultation.options[0]
    client.post(f"/consultations/{consultation.id}/answer", data={"choices": option.id})
    other = app_ctx.test_client()

    response = other.post(f"/consultations/{consultation.id}/answer", data={"choices": option.id})

    assert response.status_code == 302
    assert _answers() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choices": "999999"}, "Choose options from the list"),
        ({}, "Choose an option"),
    ],
)
def test_bad_answer_is_explained_and_changes_nothing(client, consulting, data, message):
    response = client.post(f"/consultations/{consulting.consultation.id}/answer", data=data)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _answers() == 0


def test_no_online_answer_after_the_closing_date(client, consulting):
    consultation = consulting.consultation
    consultation.closes_on = utcnow().date() - timedelta(days=1)
    db.session.commit()

    response = client.post(
        f"/consultations/{consultation.id}/answer", data={"choices": consultation.options[0].id}
    )

    assert response.status_code == 400
    assert "closed to answers on its closing date" in response.get_data(as_text=True)
    assert _answers() == 0


def test_no_answer_to_a_closed_consultation(client, consulting):
    closed = create_consultation(consulting.council, status="closed")
    response = client.post(f"/consultations/{closed.id}/answer", data={"choices": "1"})
    assert response.status_code == 400
    assert _answers() == 0


def test_ranked_answer_keeps_its_order_and_refuses_an_option_twice(client, consulting):
    ranked = create_consultation(consulting.council, answer_mode="rank", max_choices=2)
    first, second, _ = (o.id for o in ranked.options)

    twice = client.post(
        f"/consultations/{ranked.id}/answer", data={"place_1": first, "place_2": first}
    )
    assert twice.status_code == 400
    assert "only one place" in twice.get_data(as_text=True)
    done = client.post(
        f"/consultations/{ranked.id}/answer", data={"place_1": second, "place_2": first}
    )
    assert done.status_code == 302
    answer = db.session.scalars(select(ConsultationAnswer)).one()
    assert [(c.option_id, c.rank) for c in answer.choices] == [(second, 1), (first, 2)]


def test_staff_enter_offline_answers_flagged_with_channel_and_see_only_their_own_count(
    client, sign_in, consulting
):
    consultation = consulting.consultation
    option = consultation.options[1].id
    sign_in(consulting.other_editor)
    client.post(
        f"/consultations/{consultation.id}/answers/new",
        data={"channel": "phone", "choices": option},
    )
    sign_in(consulting.editor)

    for channel in ("paper", "paper", "in-person"):
        response = client.post(
            f"/consultations/{consultation.id}/answers/new",
            data={"channel": channel, "choices": option},
        )
        assert response.status_code == 302

    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "You have entered 3 answers" in page
    channels = sorted(db.session.scalars(select(ConsultationAnswer.channel)))
    assert channels == ["in-person", "paper", "paper", "phone"]


def test_offline_answer_needs_its_channel(client, sign_in, consulting):
    sign_in(consulting.editor)
    consultation = consulting.consultation
    response = client.post(
        f"/consultations/{consultation.id}/answers/new",
        data={"channel": "email", "choices": consultation.options[0].id},
    )
    assert response.status_code == 400
    assert "paper, phone or in person" in response.get_data(as_text=True)
    assert _answers() == 0


def test_closing_publishes_counts_by_option_and_channel(app_ctx, client, sign_in, consulting):
    consultation = consulting.consultation
    roads, children, _ = (o.id for o in consultation.options)
    client.post(f"/consultations/{consultation.id}/answer", data={"choices": roads})
    sign_in(consulting.editor)
    for choice in (roads, children, roads):
        client.post(
            f"/consultations/{consultation.id}/answers/new",
            data={"channel": "paper", "choices": choice},
        )

    client.post(f"/consultations/{consultation.id}/close")
    client = app_ctx.test_client()  # a reader, signed out

    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert 'data-answers="4"' in page
    assert "<svg" in page
    csv = client.get(f"/consultations/{consultation.id}/results.csv").get_data(as_text=True)
    lines = csv.splitlines()
    assert lines[0] == "option,online,paper,phone,in-person,total"
    assert lines[1] == "Roads and transport,1,2,0,0,3"
    assert lines[2] == "Children's services,0,1,0,0,1"
    by_channel = client.get(f"/consultations/{consultation.id}/results.csv?table=by-channel")
    assert "Paper,3" in by_channel.get_data(as_text=True)


def test_two_answers_from_one_session_at_once_keep_one(consulting, monkeypatch):
    """Both pass the look-up before either commits (a double click): the database keeps one."""
    from app.choosing import answers as answers_service

    consultation = consulting.consultation
    data = answers_service.AnswerData([consultation.options[0].id])
    answers_service.answer_online(consultation, data, "same-browser")
    monkeypatch.setattr(answers_service, "already_answered", lambda *_: False)

    with pytest.raises(answers_service.AnswerError, match="already answered"):
        answers_service.answer_online(consultation, data, "same-browser")

    assert _answers() == 1


@pytest.mark.parametrize("mode", ["pick", "rank"])
def test_results_grouped_in_sql_are_the_answers_counted_one_by_one(app_ctx, mode) -> None:
    """Many answers over every channel, some choosing several options (or ranking them): the
    published counts are what counting each choice from scratch gives."""
    import random
    from collections import Counter

    from app.choosing.consultation_results import consultation_results
    from app.choosing.models.consultations import CHANNELS, AnswerChoice, ConsultationAnswer
    from app.extensions import db as database

    rng = random.Random(18)
    consultation = create_consultation(
        status="closed", answer_mode=mode, max_choices=3, labels=["A", "B", "C", "D", "E"]
    )
    options = consultation.options
    chosen: Counter[tuple[str, str]] = Counter()
    firsts: Counter[str] = Counter()
    points: Counter[str] = Counter()
    answers: Counter[str] = Counter()
    for _ in range(150):
        channel = rng.choice(CHANNELS)
        answers[channel] += 1
        picked = rng.sample(options, rng.randrange(4))
        answer = ConsultationAnswer(consultation_id=consultation.id, channel=channel)
        answer.choices = [
            AnswerChoice(option_id=o.id, rank=n) for n, o in enumerate(picked, start=1)
        ]
        database.session.add(answer)
        for n, option in enumerate(picked, start=1):
            chosen[option.label, channel] += 1
            firsts[option.label] += n == 1
            points[option.label] += 3 - n + 1
    database.session.commit()
    results = consultation_results(consultation)
    assert results.answers == 150 and results.answers_by_channel == {
        c: answers[c] for c in CHANNELS
    }
    for option in results.options:
        assert option.by_channel == {c: chosen[option.label, c] for c in CHANNELS}
        assert option.first_places == firsts[option.label]
        assert option.points == (points[option.label] if mode == "rank" else 0)
    assert len(results.options) == 5
