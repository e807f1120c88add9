"""Every state-changing tracker route declares @requires, and refuses other councils' editors."""

from __future__ import annotations

import pytest

from tests.factories import create_council, create_measure, create_pilot, create_user

TRACKER_POSTS = [
    "/pilots/{slug}/measures/new",
    "/pilots/{slug}/measures/{measure}/edit",
    "/pilots/{slug}/measures/{measure}/delete",
    "/pilots/{slug}/start",
    "/pilots/{slug}/stop",
    "/pilots/{slug}/withdraw",
    "/pilots/{slug}/amend",
    "/pilots/{slug}/results",
    "/pilots/{slug}/updates/new",
    "/pilots/{slug}/extension",
]


def test_every_tracker_post_route_declares_a_permission(app_ctx):
    rules = [r for r in app_ctx.url_map.iter_rules() if r.endpoint.startswith("pilots.")]
    posting = [r for r in rules if "POST" in (r.methods or set())]
    assert len(posting) >= 9
    for rule in posting:
        view = app_ctx.view_functions[rule.endpoint]
        assert getattr(view, "permission", "public") != "public", rule.rule


@pytest.fixture
def pilot(app_ctx):
    council = create_council(code="AAA")
    running = create_pilot(council, status="running")
    return running, create_measure(running)


@pytest.mark.parametrize("url", TRACKER_POSTS)
def test_another_councils_editor_is_refused(client, sign_in, pilot, url):
    running, measure = pilot
    sign_in(create_user("editor", create_council(code="BBB")))
    response = client.post(
        url.format(slug=running.slug, measure=measure.id),
        data={"reason": "Because", "text": "An update", "narrative": "x"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("url", TRACKER_POSTS)
def test_signed_out_visitors_are_sent_to_sign_in(client, pilot, url):
    running, measure = pilot
    response = client.post(url.format(slug=running.slug, measure=measure.id))
    assert response.status_code == 302
    assert "/auth/sign-in" in response.headers["Location"]


def test_partner_editor_may_post_updates_but_not_change_status(client, sign_in, app_ctx):
    lead, partner = create_council(code="AAA"), create_council(code="BBB")
    running = create_pilot(lead, status="running", partners=[partner])
    sign_in(create_user("editor", partner))
    assert client.post(f"/pilots/{running.slug}/stop", data={"reason": "x"}).status_code == 403
    response = client.post(
        f"/pilots/{running.slug}/updates/new",
        data={"on": ["1", "2", "2026"], "text": "Going well"},
    )
    assert response.status_code == 302
    page = client.get(f"/pilots/{running.slug}").get_data(as_text=True)
    assert "Going well" in page
