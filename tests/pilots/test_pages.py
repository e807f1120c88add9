from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.pilots.models import Pilot
from app.pilots.service import pilot_visible_to
from tests.factories import create_council, create_measure, create_pilot, create_user


def test_public_pages_render(client, council):
    pilot = create_pilot(
        council, title="Road sensors in Alphaton", case_study="## Result\n\nIt worked."
    )
    for url in (
        "/", "/pilots", f"/pilots/{pilot.slug}", "/councils", "/councils/aaa", "/pillars",
        "/pillars/inclusion", "/about", "/guidance", "/accessibility", "/auth/sign-in",
    ):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Road sensors in Alphaton" in page
    assert '<a class="govuk-link" href="/councils/aaa">Alphaton</a>' in page
    assert '<h2 class="govuk-heading-m">Result</h2>' in page


def test_drafts_are_hidden_from_the_public(client, council):
    draft = create_pilot(council, title="Secret draft idea", status="draft")
    assert client.get(f"/pilots/{draft.slug}").status_code == 404
    for url in ("/", "/pilots", "/councils/aaa", "/pillars/developing-solutions"):
        assert "Secret draft idea" not in client.get(url).get_data(as_text=True), url
    assert "Secret draft idea" not in client.get("/pilots?status=draft").get_data(as_text=True)


def test_draft_visible_to_its_council_but_not_another(client, council, sign_in):
    draft = create_pilot(council, status="draft")
    other = create_user("editor", create_council())
    sign_in(other)
    assert client.get(f"/pilots/{draft.slug}").status_code == 404
    sign_in(create_user("editor", council))
    assert client.get(f"/pilots/{draft.slug}").status_code == 200


def test_filters_narrow_the_list(client, council):
    create_pilot(council, title="Proved one", status="concluded", verdict="proved")
    create_pilot(council, title="Running one", status="running", pillars=["inclusion"])
    page = client.get("/pilots?verdict=proved").get_data(as_text=True)
    assert "Proved one" in page and "Running one" not in page
    page = client.get("/pilots?pillar=inclusion").get_data(as_text=True)
    assert "Running one" in page and "Proved one" not in page
    page = client.get("/pilots?council=aaa&status=running").get_data(as_text=True)
    assert "Running one" in page and "Proved one" not in page


@pytest.mark.parametrize(
    "query", ["status=draft", "verdict=maybe", "pillar=robots", "council=qqq", "page=0", "page=abc"]
)
def test_bad_filters_say_what_is_wrong(client, council, query):
    response = client.get(f"/pilots?{query}")
    assert response.status_code == 400


def test_pagination_twenty_a_page(client, council):
    for n in range(25):
        create_pilot(council, title=f"Pilot number {n:02d}")
    first = client.get("/pilots").get_data(as_text=True)
    second = client.get("/pilots?page=2").get_data(as_text=True)
    assert first.count("app-pilot-list__item") == 20
    assert second.count("app-pilot-list__item") == 5
    assert "Showing 21 to 25 of 25 pilots" in second
    empty = client.get("/pilots?page=9").get_data(as_text=True)
    assert "No pilots match" in empty


def test_council_page_lists_led_and_partnered_pilots(client, council):
    other = create_council(code="BBB")
    create_pilot(other, title="Partnered pilot", partners=[council])
    create_pilot(council, title="Led pilot")
    page = client.get("/councils/aaa").get_data(as_text=True)
    assert "Partnered pilot" in page and "Led pilot" in page
    assert client.get("/councils/zzz").status_code == 404


def test_council_directory_filters(client, app_ctx):
    create_council(code="SSS", nice_name="Scotshire", nation="Scotland", la_type="SCO")
    create_council(code="EEE", nice_name="Englandshire")
    page = client.get("/councils?nation=Scotland").get_data(as_text=True)
    assert "Scotshire" in page and "Englandshire" not in page
    page = client.get("/councils?type=SCO").get_data(as_text=True)
    assert "Scotshire" in page and "Englandshire" not in page
    assert client.get("/councils?nation=Atlantis").status_code == 400


def test_home_counts(client, council):
    create_pilot(council, status="concluded", verdict="proved")
    create_pilot(council, status="concluded", verdict="disproved")
    create_pilot(council, status="draft")
    page = client.get("/").get_data(as_text=True)
    assert '<span class="app-count__number">2</span> concluded' in page
    assert '<span class="app-count__number">1</span> proved' in page
    assert '<span class="app-count__number">0</span> registered' in page


def test_home_lists_the_newest_public_pilots_and_no_draft(client, council):
    older = [create_pilot(council, title=f"Older pilot {n}", status="running") for n in range(6)]
    newest = create_pilot(council, title="Newest registered pilot", status="registered")
    create_pilot(council, title="A newer draft", status="draft")
    page = client.get("/").get_data(as_text=True)
    assert newest.title in page and "A newer draft" not in page
    assert older[0].title not in page  # six are shown: the newest public one and five others
    assert all(pilot.title in page for pilot in older[1:])


def test_unknown_pages_are_404_in_the_design(client, app_ctx):
    response = client.get("/pilots/no-such-pilot")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert client.get("/pillars/robots").status_code == 404


def test_register_freezes_and_publishes(client, council, sign_in):
    editor = create_user("editor", council)
    sign_in(editor)
    draft = create_pilot(
        council, status="draft", start_date=date(2099, 1, 1), planned_end_date=date(2099, 6, 1)
    )
    create_measure(draft)
    response = client.post(f"/pilots/{draft.slug}/register")
    assert response.status_code == 302
    db.session.expire_all()
    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == draft.slug))
    assert pilot.status == "registered" and pilot.registered_at is not None
    page = client.get(f"/pilots/{draft.slug}").get_data(as_text=True)
    assert "Registered before it started" in page


def test_several_messages_share_one_banner(client, council, sign_in):
    sign_in(create_user("editor", council))
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "First thing done."), ("message", "Second thing done.")]
    page = client.get("/").get_data(as_text=True)
    assert page.count("govuk-notification-banner--success") == 1
    assert "First thing done." in page and "Second thing done." in page


def test_a_draft_is_visible_only_to_its_own_council(council, editor):
    draft = create_pilot(council, status="draft")
    public = create_pilot(council, status="registered")
    assert pilot_visible_to(editor, draft.slug) is draft
    assert pilot_visible_to(None, draft.slug) is None
    assert pilot_visible_to(create_user("editor", create_council()), draft.slug) is None
    assert pilot_visible_to(None, public.slug) is public
    assert pilot_visible_to(None, "no-such-pilot") is None
