"""The residents' priorities feeds: an entry when a consultation opens and when it closes (with
its published counts), in Atom and RSS, for every council and for one; drafts never appear."""

from __future__ import annotations

import pytest

from app.choosing import answers
from app.choosing.answers import AnswerData
from app.choosing.consultations import close_consultation, open_consultation
from app.extensions import db
from tests.factories import create_consultation, create_council, create_round, create_user
from tests.feeds.conftest import ALL_KINDS


@pytest.fixture
def two_councils(app_ctx):
    herts = create_council(code="HRT", nice_name="Hertfordshire", region="East of England")
    wbk = create_council(code="WBK", nice_name="West Berkshire")
    editor = create_user("editor", herts)
    roads = create_consultation(herts, status="draft", question="Roads or children's services?")
    open_consultation(roads, editor)
    answers.answer_online(roads, AnswerData([roads.options[0].id]), "browser-1")
    answers.enter_offline_answer(roads, AnswerData([roads.options[1].id]), "paper", editor)
    close_consultation(roads, editor)
    create_consultation(wbk, question="Which library services matter most?")
    create_consultation(wbk, status="draft", question="A draft nobody sees")
    return herts, wbk


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_the_priorities_feed_has_openings_and_closings_newest_first(fetch, two_councils, kind):
    feed = fetch(f"/feeds/priorities.{kind}")

    titles = [entry.title for entry in feed.entries]
    assert titles[0] == "Consultation opened: Which library services matter most?"
    assert "Consultation closed: Roads or children's services?" in titles
    assert "Consultation opened: Roads or children's services?" in titles
    assert not any("A draft nobody sees" in title for title in titles)
    closed = next(e for e in feed.entries if e.title.startswith("Consultation closed"))
    content = closed.content[0].value
    assert "2 answers (online 1, paper 1, phone 0, in person 0)" in content


def test_a_councils_priorities_feed_has_only_its_own(fetch, two_councils):
    feed = fetch("/feeds/councils/wbk/priorities.atom")
    assert [e.title for e in feed.entries] == [
        "Consultation opened: Which library services matter most?"
    ]
    assert fetch("/feeds/councils/hrt/priorities.rss").feed.title.startswith(
        "Priorities in Hertfordshire"
    )


def test_an_unknown_councils_priorities_feed_is_404(client, app_ctx):
    assert client.get("/feeds/councils/nope/priorities.atom").status_code == 404


def test_rounds_opened_closed_and_decided_are_in_the_feeds_beside_consultations(
    fetch, two_councils
):
    herts, _ = two_councils
    round_ = create_round(herts, "decided", title="Roads or children first")
    round_.decided_at = round_.closed_at
    round_.meeting, round_.minute_reference = "Cabinet, 1 December 2026", "C/26/41"
    db.session.commit()
    create_round(herts, "draft", title="A draft round")

    titles = [e.title for e in fetch("/feeds/councils/hrt/priorities.atom").entries]

    assert "Round opened: Roads or children first" in titles
    assert "Round decided: Roads or children first" in titles
    assert "Consultation closed: Roads or children's services?" in titles
    assert not any("A draft round" in title for title in titles)
    assert "Round decided: Roads or children first" in [
        e.title for e in fetch("/feeds/priorities.rss").entries
    ]
