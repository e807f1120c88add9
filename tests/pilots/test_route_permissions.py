"""Every state-changing pilot route refuses other councils' editors and sends the signed-out to
sign in (the route walk itself is in tests/auth/test_permissions.py)."""

from __future__ import annotations

import pytest

from tests.factories import create_measure, create_pilot, create_user

PILOT_POSTS = [
    "/pilots/{slug}/edit",
    "/pilots/{slug}/register",
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


@pytest.fixture
def pilot(council):
    running = create_pilot(council, status="running")
    return running, create_measure(running)


@pytest.mark.parametrize("url", PILOT_POSTS)
def test_another_councils_editor_is_refused(client, sign_in, pilot, partner_council, url):
    running, measure = pilot
    sign_in(create_user("editor", partner_council))
    response = client.post(
        url.format(slug=running.slug, measure=measure.id),
        data={"reason": "Because", "text": "An update", "narrative": "x"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("url", PILOT_POSTS)
def test_signed_out_visitors_are_sent_to_sign_in(client, pilot, url):
    running, measure = pilot
    response = client.post(url.format(slug=running.slug, measure=measure.id))
    assert response.status_code == 302
    assert "/auth/sign-in" in response.headers["Location"]


def test_partner_editor_may_post_updates_but_not_change_status(
    client, sign_in, council, partner_council
):
    running = create_pilot(council, status="running", partners=[partner_council])
    sign_in(create_user("editor", partner_council))
    assert client.post(f"/pilots/{running.slug}/stop", data={"reason": "x"}).status_code == 403
    response = client.post(
        f"/pilots/{running.slug}/updates/new",
        data={"on": ["1", "2", "2026"], "text": "Going well"},
    )
    assert response.status_code == 302
    page = client.get(f"/pilots/{running.slug}").get_data(as_text=True)
    assert "Going well" in page
