"""What a signed-in person sees, and any response that sets a cookie, is never kept by a browser's
or a proxy's cache (`Cache-Control: private, no-store`); public pages and feeds stay cacheable."""

from __future__ import annotations

import pytest

from app.common.caching import page_cache
from tests.common.caching.test_page_cache import assert_cached
from tests.common.route_walk import build_path, get_rules, walk_objects
from tests.factories import create_user

SAME_FOR_EVERYONE = ("feeds", "exports", "static")


def same_for_everyone(endpoint: str) -> bool:
    return endpoint.split(".")[0] in SAME_FOR_EVERYONE


def private_no_store(response) -> bool:
    return bool(response.cache_control.private and response.cache_control.no_store)


@pytest.mark.parametrize("role", ["admin", "funder", None])
def test_every_page_to_a_signed_in_person_is_private_and_not_stored(client, sign_in, role):
    objects = walk_objects()
    sign_in(create_user(role))
    for rule in get_rules(client.application):
        response = client.get(build_path(rule, objects))
        response.close()
        if same_for_everyone(rule.endpoint):
            assert not response.cache_control.private, rule.rule
            if rule.endpoint.startswith("feeds.") and response.status_code == 200:
                assert response.cache_control.max_age, rule.rule
        else:
            assert private_no_store(response), (rule.rule, response.headers.get("Cache-Control"))


def test_anonymous_pages_stay_cacheable_unless_they_set_a_cookie(client):
    objects = walk_objects()
    for rule in get_rules(client.application):
        reader = client.application.test_client()  # no cookie from an earlier page
        response = reader.get(build_path(rule, objects))
        response.close()
        if "Set-Cookie" in response.headers:
            assert private_no_store(response), rule.rule
        else:
            assert not response.cache_control.private, rule.rule
            assert not response.cache_control.no_store, rule.rule
    assert page_cache.cached_pages() > 0
    page = f"/pilots/{objects['registered']}"
    client.application.test_client().get(page)
    assert_cached(client.application, page)
    feed = client.get("/feeds/pilots.atom")
    assert feed.cache_control.public and feed.cache_control.max_age


@pytest.mark.parametrize(
    "path", ["/account", "/funding/dashboard", "/funding/dashboard.csv?table=by-status", "{draft}"]
)
def test_the_pages_the_tester_named_are_private(client, sign_in, path):
    objects = walk_objects()
    sign_in(create_user("admin"))
    response = client.get(path.format(draft=f"/pilots/{objects['draft']}"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_response_that_sets_a_cookie_is_private(client, sign_in, app_ctx):
    sign_in(create_user())
    response = client.post("/auth/sign-out")  # the cookie is emptied
    assert "Set-Cookie" in response.headers
    assert response.headers["Cache-Control"] == "private, no-store"
