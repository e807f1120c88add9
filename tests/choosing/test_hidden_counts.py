"""Hidden means hidden: while a consultation is open, no page, feed or download shows how many
answered or chose what, to anyone — readers, the staff who entered answers, council admins.
Staff see only how many they entered themselves. Closing publishes the counts everywhere."""

from __future__ import annotations

import re

import pytest

from app.choosing import answers
from app.choosing.answers import AnswerData
from app.choosing.consultations import close_consultation
from app.choosing.models.consultations import Consultation
from app.extensions import db
from tests.choosing.chosen import chosen_public_pilot
from tests.common.route_walk import build_path, get_rules, walk_objects
from tests.factories import create_user

# What shows a count: the results block, its tables and CSV, a feed entry's figures.
COUNT_MARKS = (
    "data-answers",
    "Answers choosing each option",
    "Answers by how they were given",
    "answers (online",
    "option,online,paper",
    "Ranked first",
)
ONLINE, PAPER = 13, 8


def _answer(consultation: Consultation, editor) -> None:
    first, second, _ = (o.id for o in consultation.options)
    for n in range(ONLINE):
        answers.answer_online(consultation, AnswerData([first], "Please fix the roads"), f"b{n}")
    for _ in range(PAPER):
        answers.enter_offline_answer(consultation, AnswerData([second]), "paper", editor)


def _fetch_everything(client, objects) -> dict[str, str]:
    """Every GET address with real objects in it, and the feeds, with their bodies."""
    bodies = {}
    for rule in get_rules(client.application):
        if rule.endpoint == "static":
            continue
        path = build_path(rule, objects)
        response = client.get(path)
        bodies[path] = response.get_data(as_text=True)
        response.close()
    for path in ("/feeds/priorities.atom", "/feeds/councils/aaa/priorities.rss"):
        bodies[path] = client.get(path).get_data(as_text=True)
    return bodies


def _counts_shown(bodies: dict[str, str]) -> list[tuple[str, str]]:
    return [(path, mark) for path, body in bodies.items() for mark in COUNT_MARKS if mark in body]


@pytest.mark.parametrize(
    "who", ["reader", "editor who entered answers", "other editor", "council admin"]
)
def test_no_count_anywhere_while_open(client, sign_in, who):
    objects = walk_objects()
    consultation = db.session.get(Consultation, objects["consultation"])
    objects["registered"] = chosen_public_pilot(consultation.council)  # the API's pilot too
    editor = create_user("editor", consultation.council)
    _answer(consultation, editor)
    viewers = {
        "reader": None,
        "editor who entered answers": editor,
        "other editor": create_user("editor", consultation.council),
        "council admin": create_user("council-admin", consultation.council),
    }
    if viewers[who] is not None:
        sign_in(viewers[who])

    bodies = _fetch_everything(client, objects)

    assert _counts_shown(bodies) == []
    assert '"status":"decided"' in bodies[f"/api/v1/pilots/{objects['registered']}"]
    page = bodies[f"/consultations/{consultation.id}"]
    own = re.findall(r"You have entered (\d+) answers", page)
    assert own == ({"editor who entered answers": [str(PAPER)], "other editor": ["0"]}.get(who, []))
    csv = client.get(f"/consultations/{consultation.id}/results.csv")
    assert csv.status_code == 404


def test_closing_publishes_the_counts_everywhere(client):
    objects = walk_objects()
    consultation = db.session.get(Consultation, objects["consultation"])
    editor = create_user("editor", consultation.council)
    _answer(consultation, editor)

    close_consultation(consultation, editor)

    bodies = _fetch_everything(client, objects)
    page = bodies[f"/consultations/{consultation.id}"]
    assert f'data-answers="{ONLINE + PAPER + 1}"' in page  # the walk's own paper answer too
    assert "answers (online 13, paper 9" in bodies["/feeds/priorities.atom"]
    csv = client.get(f"/consultations/{consultation.id}/results.csv").get_data(as_text=True)
    assert "Roads and transport,13,0,0,0,13" in csv
