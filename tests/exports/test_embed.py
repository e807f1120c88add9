"""A council's widget: the iframe page, the HTML fragment and the JSON, and the one exception
to "never framed" that the iframe page is."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.common.route_walk import build_path, get_rules, walk_objects
from tests.factories import create_council, create_outcome, create_pilot


@pytest.fixture
def council(app_ctx):
    """Kentwell leads an older concluded pilot that proved its point, partners in a newer
    running one, and has a draft that no widget may show."""
    kentwell = create_council(code="KWL", nice_name="Kentwell")
    older = create_pilot(
        kentwell,
        title="Older chatbot pilot",
        summary="Residents **ask** the chatbot about bins & recycling.",
        start_date=date(2024, 1, 1),
    )
    create_outcome(older, date(2024, 9, 1), "proved", narrative="Calls fell by *a quarter*.")
    create_pilot(
        create_council(code="OTH", nice_name="Otherby"),
        title="Newer shared pilot",
        status="running",
        start_date=date(2025, 6, 1),
        partners=[kentwell],
    )
    create_pilot(kentwell, title="Secret draft", status="draft", start_date=date(2026, 1, 1))
    return kentwell


def test_the_iframe_page_lists_pilots_newest_first_with_what_they_proved(client, council):
    page = client.get("/councils/kwl/embed").get_data(as_text=True)
    assert page.index("Newer shared pilot") < page.index("Older chatbot pilot")
    assert "Secret draft" not in page
    assert "Residents ask the chatbot about bins &amp; recycling." in page
    assert "What we learnt: Calls fell by a quarter." in page
    assert ">Proved</strong>" in page
    assert "<script" not in page
    assert 'href="http://localhost/pilots/' in page  # absolute: it is read on another site
    assert "All 2 pilots of Kentwell on Proving Ground" in page


def test_the_fragment_is_plain_html_for_a_site_to_style(client, council):
    response = client.get("/councils/kwl/embed.html")
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<script" not in body and 'class="govuk' not in body
    assert body.strip().startswith('<section class="proving-ground-pilots"')
    assert body.index("Newer shared pilot") < body.index("Older chatbot pilot")


def test_the_json_says_the_same(client, council):
    document = client.get("/councils/kwl/embed.json").get_json()
    assert document["council"] == {
        "code": "KWL",
        "name": "Kentwell",
        "url": "http://localhost/councils/kwl",
    }
    assert document["total"] == 2
    newer, older = document["pilots"]
    assert (newer["title"], newer["role"], newer["status"], newer["verdict"]) == (
        "Newer shared pilot", "partner", "running", None
    )  # fmt: skip
    assert (older["role"], older["verdict"], older["learnt"]) == (
        "lead", "proved", "Calls fell by a quarter."
    )  # fmt: skip
    assert older["start_date"] == "2024-01-01"


@pytest.mark.parametrize("path", ["/councils/zzz/embed", "/councils/zzz/embed.json"])
def test_an_unknown_council_is_not_found(client, app_ctx, path):
    assert client.get(path).status_code == 404


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Strict-Transport-Security",
)


def _comparable(headers) -> dict[str, str]:
    """The security headers a response sends, with the nonce (new for each request) masked.
    Caching headers differ by design: the widget may be kept by any cache for five minutes."""
    kept = {k: v for k, v in headers.items() if k in SECURITY_HEADERS}
    if "Content-Security-Policy" in kept:
        kept["Content-Security-Policy"] = re.sub(
            r"'nonce-[^']+'", "'nonce-N'", kept["Content-Security-Policy"]
        )
    return kept


def test_only_the_iframe_page_may_be_framed_and_it_differs_in_nothing_else(client, app_ctx):
    objects = walk_objects()
    embed = _comparable(client.get("/councils/aaa/embed").headers)
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    council_page = _comparable(client.get("/councils/aaa").headers)
    unframeable = dict(council_page)
    assert council_page.pop("X-Frame-Options") == "DENY"
    council_page["Content-Security-Policy"] = council_page["Content-Security-Policy"].replace(
        "frame-ancestors 'none'", "frame-ancestors *"
    )
    assert embed == council_page
    # Every other address the app answers, the widget's fragment and JSON among them, and the
    # iframe page's own "not found", refuses to be framed.
    paths = [build_path(rule, objects) for rule in get_rules(client.application)]
    paths.remove("/councils/aaa/embed")
    assert "/councils/aaa/embed.json" in paths and "/councils/aaa" in paths
    for path in [*paths, "/councils/zzz/embed"]:
        with client.get(path) as response:
            assert _comparable(response.headers) == unframeable, path


def test_the_widget_is_cacheable_by_anyone_and_answers_304_when_unchanged(client, council):
    first = client.get("/councils/kwl/embed")
    assert first.cache_control.public and first.cache_control.max_age == 300
    again = client.get("/councils/kwl/embed", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "X-Frame-Options" not in again.headers  # a revalidated widget still shows in its frame
    create_pilot(council, title="Brand new pilot", start_date=date(2026, 9, 1))
    changed = client.get("/councils/kwl/embed", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert "Brand new pilot" in changed.get_data(as_text=True)


def test_a_busy_councils_widget_shows_the_latest_20_of_all_it_took_part_in(client, app_ctx):
    """More than 20 pilots, led and partnered (and led while listed among its own partners),
    in every status, with and without start dates and registration times, and ties: the 20
    shown and the total are what ordering every one of its public pilots from scratch gives."""
    import random
    from datetime import UTC, datetime, timedelta

    from app.pilots.models import PUBLIC_STATUSES, STATUSES

    rng = random.Random(18)
    busy = create_council(code="BSY", nice_name="Busyborough")
    others = [create_council(code=f"O{i}", nice_name=f"Other {i}") for i in range(4)]
    expected = []
    for n in range(70):
        leads = rng.random() < 0.5
        status = rng.choice(STATUSES)
        started = rng.choice(
            [None, date(2025, 1, 1), date(2025, 1, 1) + timedelta(rng.randrange(60))]
        )
        registered = rng.choice(
            [None, datetime(2025, 3, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(9))]
        )
        partners = rng.sample(others, 2) + ([busy] if not leads or rng.random() < 0.3 else [])
        pilot = create_pilot(
            busy if leads else rng.choice(others),
            title=f"Pilot {n}",
            status=status,
            start_date=started,
            registered_at=registered if status != "draft" else None,
            partners=partners,
            verdict="proved" if status == "concluded" else None,
        )
        if status in PUBLIC_STATUSES and (leads or busy in partners):
            expected.append(pilot)
    create_pilot(others[0], title="Not theirs", status="running")
    expected.sort(
        key=lambda p: (
            p.start_date is not None, p.start_date, p.registered_at is not None, p.registered_at,
            p.id,
        ),
        reverse=True,
    )  # fmt: skip
    document = client.get("/councils/bsy/embed.json").get_json()
    assert document["total"] == len(expected) > 20
    assert [(p["title"], p["role"]) for p in document["pilots"]] == [
        (p.title, "lead" if p.lead_council_id == busy.id else "partner") for p in expected[:20]
    ]
