"""Ideas: written by the council's editors, private to its staff until published, public from
then on; an earlier pilot it would replicate must be a published one. Scorers see, beside each
idea, what other councils have already piloted."""

from __future__ import annotations

from typing import Any

from app.auth.models import User
from app.choosing.models import Idea
from app.councils.models import Council
from app.extensions import db
from tests.factories import create_council, create_idea, create_pilot, create_round, create_user

IDEA = {"council": "AAA", "title": "Library chatbot", "need": "Renewals by phone",
        "raised_by": "officer", "cost_band": "under-10k"}  # fmt: skip


def test_an_idea_is_private_until_published_and_public_after(
    client: Any, sign_in: Any, council: Council, editor: User, council_admin: User
) -> None:
    idea = create_idea(council, title="Library chatbot")
    outsider = create_user("editor", create_council(code="BBB"))
    for person in (None, outsider):
        if person:
            sign_in(person)
        assert client.get(f"/ideas/{idea.id}").status_code == 404
    sign_in(council_admin)  # the council's staff see it, and its admins may not publish it
    assert client.get(f"/ideas/{idea.id}").status_code == 200
    assert client.post(f"/ideas/{idea.id}/publish").status_code == 403
    sign_in(editor)
    assert client.post(f"/ideas/{idea.id}/publish").status_code == 302
    sign_in(outsider)
    assert "Library chatbot" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).published_at is not None


def test_an_idea_can_name_only_a_published_pilot_to_replicate(
    client: Any, sign_in: Any, council: Council, editor: User
) -> None:
    draft = create_pilot(council, status="draft", title="Secret")
    earlier = create_pilot(create_council(code="BBB"), status="concluded", title="Chatbot")
    sign_in(editor)
    refused = client.post("/ideas/new", data={**IDEA, "replicates": f"/pilots/{draft.slug}"})
    assert refused.status_code == 400
    assert "There is no published pilot at that address" in refused.get_data(as_text=True)
    assert db.session.query(Idea).count() == 0
    saved = client.post("/ideas/new", data={**IDEA, "replicates": f"/pilots/{earlier.slug}"})
    assert saved.status_code == 302
    assert db.session.query(Idea).one().replicates_id == earlier.id


def test_scorers_see_what_other_councils_have_piloted(
    client: Any, sign_in: Any, whoosh: Any, council: Council, panel: list[User]
) -> None:
    from app.search import indexing

    other = create_council(code="BBB", nice_name="Betaford")
    create_pilot(other, status="concluded", verdict="proved", title="Chatbot for library loans")
    create_pilot(council, status="concluded", title="Our own library chatbot")
    indexing.reindex()
    idea = create_idea(council, title="Library chatbot for renewals", published=True)
    round_ = create_round(council, "scoring", ideas=[idea, create_idea(council)], panel=panel)
    sign_in(panel[0])
    page = client.get(f"/rounds/{round_.id}/scores").get_data(as_text=True)
    assert "Chatbot for library loans" in page and "Betaford: proved" in page
    assert "Our own library chatbot" not in page


def test_a_councils_ideas_come_50_a_page_each_once_latest_changed_first(
    client: Any, sign_in: Any, council: Council, editor: User
) -> None:
    import re
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 1, 1, tzinfo=UTC)
    made = [
        create_idea(council, title=f"Idea number {n}", published=n % 3 == 0,
                    updated_at=start + timedelta(hours=n % 40))
        for n in range(120)
    ]  # fmt: skip
    create_idea(create_council(code="BBB"), title="Idea of another council")
    expected = sorted(made, key=lambda i: (i.updated_at, i.id), reverse=True)
    sign_in(editor)
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"/councils/aaa/ideas?page={number}").get_data(as_text=True)
        seen += re.findall(r">(Idea number \d+)<", page)
        assert (f"?page={number - 1}" in page) == (number > 1)  # previous
        assert (f"?page={number + 1}" in page) == (number < 3)  # next
        assert f"Ideas {50 * number - 49} to {min(120, 50 * number)} of 120" in page
    assert seen == [i.title for i in expected]
    assert client.get("/councils/aaa/ideas?page=4").status_code == 404
    assert client.get("/councils/aaa/ideas?page=x").status_code == 400
    db.session.query(Idea).delete()
    db.session.commit()
    assert "No ideas yet." in client.get("/councils/aaa/ideas").get_data(as_text=True)
