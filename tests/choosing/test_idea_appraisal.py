"""An idea may carry an options appraisal: its council's editors write it from the idea page with
the pilots' appraisal form (bad figures are errors against their fields, nothing saved); when the
idea is chosen and becomes a draft pilot, the appraisal becomes the pilot's in the same
transaction, with its figures and hash unchanged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.appraisal.models import Appraisal
from app.appraisal.service import appraisal_of, idea_appraisal, save_idea_appraisal
from app.auth.models import User
from app.choosing.models import Idea
from app.councils.models import Council
from app.extensions import db
from tests.appraisal.factories import shortlist
from tests.appraisal.test_pages import _form_fields
from tests.factories import create_idea, create_round


def test_an_editor_writes_an_ideas_appraisal_from_the_idea_page(
    client: Any, sign_in: Any, council: Council, editor: User
) -> None:
    idea = create_idea(council)
    sign_in(editor)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/ideas/{idea.id}/appraisal"' in page and "no options appraisal yet" in page

    saved = save_idea_appraisal(idea.id, shortlist())
    before = saved.content_hash
    form = client.get(f"/ideas/{idea.id}/appraisal").get_data(as_text=True)
    fields = _form_fields(form) | {"action": "save"}
    response = client.post(f"/ideas/{idea.id}/appraisal", data=fields)
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}"
    db.session.expire_all()
    assert idea_appraisal(idea.id).content_hash == before
    assert "It has an options appraisal" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_bad_figures_in_an_ideas_appraisal_are_refused_and_nothing_is_saved(
    client: Any, sign_in: Any, council: Council, editor: User
) -> None:
    idea = create_idea(council)
    sign_in(editor)
    fields = _form_fields(client.get(f"/ideas/{idea.id}/appraisal").get_data(as_text=True))
    fields |= {
        "options-0-name": "As now",
        "options-0-costs-0-name": "Running cost",
        "options-0-costs-0-low_pence": "900",
        "options-0-costs-0-likely_pence": "800",
        "options-0-costs-0-high_pence": "700",
        "action": "save",
    }
    response = client.post(f"/ideas/{idea.id}/appraisal", data=fields)
    assert response.status_code == 400
    assert "The high cost must be at least the low one" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Appraisal)) == 0


def test_the_appraisal_moves_with_the_idea_when_it_becomes_a_pilot(
    client: Any, sign_in: Any, council: Council, council_admin: User, editor: User,
    panel: list[User],
) -> None:  # fmt: skip
    idea = create_idea(council, published=True)
    other = create_idea(council, published=True)
    before = save_idea_appraisal(idea.id, shortlist()).content_hash
    round_ = create_round(council, "closed", panel=panel, ideas=[idea, other])
    sign_in(council_admin)
    decided = client.post(
        f"/rounds/{round_.id}/decision",
        data={"first": str(idea.id), "meeting": "Cabinet", "minute_reference": "C/1",
              "departure_reason": "Residents asked for it"},
    )  # fmt: skip
    assert decided.status_code == 302, decided.get_data(as_text=True)

    db.session.expire_all()
    pilot = db.session.get(Idea, idea.id).pilot
    moved = appraisal_of(pilot)
    assert moved is not None and moved.content_hash == before and moved.idea_id is None
    assert idea_appraisal(idea.id) is None
    assert db.session.scalar(select(func.count()).select_from(Appraisal)) == 1
    sign_in(editor)
    assert "Options appraisal" in client.get(f"/pilots/{pilot.slug}/appraisal").get_data(
        as_text=True
    )
    # The idea is a pilot now: its business case is written from the pilot's pages.
    assert client.get(f"/ideas/{idea.id}/appraisal").status_code == 404
