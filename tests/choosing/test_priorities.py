"""/priorities: open consultations across the registry and, from closed ones only, which needs
residents put first by region and kind of council; /councils/<code>/priorities: one council's."""

from __future__ import annotations

from app.choosing import answers
from app.choosing.answers import AnswerData
from app.choosing.consultations import close_consultation
from app.extensions import db
from tests.factories import create_consultation, create_council, create_round, create_user


def _answer(consultation, picks: list[int]) -> None:
    for n, index in enumerate(picks):
        option = consultation.options[index].id
        answers.answer_online(consultation, AnswerData([option]), f"{consultation.id}-{n}")


def test_needs_by_region_and_type_come_from_closed_consultations_only(client, app_ctx):
    london = create_council(
        code="KEC",
        nice_name="Kensington and Chelsea",
        region="London",
        la_type="LBO",
        la_type_name="London borough",
    )
    herts = create_council(
        code="HRT",
        nice_name="Hertfordshire",
        region="East of England",
        la_type="CTY",
        la_type_name="County council",
    )
    editor = create_user("admin")
    kec = create_consultation(london, labels=["Housing", "Roads and transport"])
    _answer(kec, [0, 0, 0, 1])  # housing 3 of 4
    close_consultation(kec, editor)
    hrt = create_consultation(herts, labels=["roads and transport", "Children's services"])
    _answer(hrt, [0, 1, 1])  # children 2 of 3
    close_consultation(hrt, editor)
    still_open = create_consultation(herts, question="Open question?", labels=["Parks", "Bins"])
    _answer(still_open, [0, 0, 0, 0, 0])

    page = client.get("/priorities").get_data(as_text=True)

    assert "Open question?" in page
    assert "Housing (75% of answers)" in page
    assert "Children&#39;s services (67% of answers)" in page
    assert "London borough" in page and "County council" in page
    assert "Parks" not in page  # an open consultation's answers are never counted


def test_a_councils_priorities_page_lists_its_public_consultations(client, app_ctx):
    council = create_council(code="WBK", nice_name="West Berkshire")
    create_consultation(council, question="Which library services matter most?")
    create_consultation(council, status="draft", question="A draft")

    page = client.get("/councils/wbk/priorities").get_data(as_text=True)

    assert "Which library services matter most?" in page
    assert "A draft" not in page
    assert client.get("/councils/nope/priorities").status_code == 404


def test_decided_rounds_are_listed_across_the_registry_and_on_their_councils_page(client, app_ctx):
    council = create_council(code="HRT", nice_name="Hertfordshire")
    decided = create_round(council, "decided", title="Roads or children first")
    decided.decided_at = decided.closed_at
    db.session.commit()
    create_round(council, "scoring", title="Still scoring")
    create_round(council, "draft", title="A draft round")

    registry = client.get("/priorities").get_data(as_text=True)
    council_page = client.get("/councils/hrt/priorities").get_data(as_text=True)

    assert "Roads or children first" in registry and "Still scoring" not in registry
    assert "Roads or children first" in council_page and "Still scoring" in council_page
    assert "A draft round" not in council_page
