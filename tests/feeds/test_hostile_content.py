"""A pilot written to break feeds: control characters, emoji, right-to-left text, script, event
handlers, javascript: links and a 100 KB case study. Every feed must stay well formed and clean."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app.extensions import db
from app.pilots.events import record_event
from tests.conftest import on_postgres
from tests.factories import create_council, create_pilot
from tests.feeds.conftest import ALL_KINDS

# PostgreSQL cannot store NUL in text at all, so only SQLite can hand \x00 to a feed.
CONTROL = ("" if on_postgres() else "\x00") + "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x1f\x7f"
RTL = "\u202eמבחן עברי مرحبا"
RTL_TEXT = RTL.removeprefix("\u202e")  # the text stays; the override that disguises it goes
EMOJI = "🚀🏳️‍🌈"
SCRIPT = "<script>alert('x')</script>"
CASE_STUDY_BLOCK = (
    f"## Results {EMOJI}\n\n{CONTROL}Calls fell. {RTL}\n\n{SCRIPT}\n\n"
    "<img src=x onerror=alert(1)>\n\n[a bad link](javascript:alert(2)) "
    '<a href="javascript:alert(3)" onclick="alert(4)">more</a> [our page](/pilots)\n\n'
)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.dangers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe", "style", "object"):
            self.dangers.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.dangers.append(f"{tag} {name}=")
            if name in ("href", "src") and not (value or "").startswith(("http://", "https://")):
                self.dangers.append(f"{tag} {name}={value}")


def markup_dangers(html: str) -> list[str]:
    """Elements and attributes that could run or load something, as a reader would parse them."""
    parser = _Markup()
    parser.feed(html)
    return parser.dangers


@pytest.fixture
def hostile(app_ctx):
    council = create_council(code="HOS", nice_name=f"Hostile{CONTROL} {RTL} {EMOJI}")
    case_study = CASE_STUDY_BLOCK * (100_000 // len(CASE_STUDY_BLOCK) + 1)
    assert len(case_study) >= 100_000
    pilot = create_pilot(
        council,
        slug="hostile",
        title=f"Hostile{CONTROL} {EMOJI} {RTL} {SCRIPT}",
        summary=f"Summary {CONTROL}{RTL} <img src=x onerror=alert(5)>",
        hypothesis=f"We believe {SCRIPT} {EMOJI}{CONTROL}",
        status="stopped",
        status_reason=f"Stopped because {SCRIPT}{CONTROL}",
        case_study=case_study,
        pillars=["inclusion"],
    )
    record_event(pilot, "stopped", None, f"Stopped: {pilot.title}", reason=f"{SCRIPT}{CONTROL}")
    db.session.commit()
    return pilot


def _feeds() -> list[str]:
    paths = [
        "/feeds/pilots", "/feeds/councils/hos", "/feeds/pillars/inclusion", "/feeds/events",
        "/feeds/pilots/hostile/events",
    ]  # fmt: skip
    urls = [f"{p}.{kind}" for p in paths for kind in ALL_KINDS]
    return urls + [f"/feeds/search.{kind}?q=hostile" for kind in ALL_KINDS]


@pytest.mark.parametrize("url", _feeds())
def test_hostile_pilot_cannot_break_or_poison_a_feed(client, fetch, hostile, url):
    raw = client.get(url).data
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", raw)
    assert len(raw) < 60_000, "a 100 KB case study goes in as an excerpt"
    feed = fetch(url)
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert EMOJI in entry.title and RTL_TEXT in entry.title and "\u202e" not in entry.title
    html = "".join(c.value for c in entry.content) + entry.summary
    assert markup_dangers(html) == []
    assert "Read the whole case study" in html or "/events" in url
    assert "Stopped" in entry.summary
    assert RTL_TEXT in html and "\u202e" not in html and EMOJI in html


def test_short_case_study_is_included_whole_and_clean(fetch, app_ctx):
    create_pilot(
        create_council(),
        case_study=f"## Outcome\n\n{SCRIPT}[our list](/pilots) and [theirs](javascript:x)",
    )
    html = fetch("/feeds/pilots.atom").entries[0].content[0].value
    assert "<h2" in html and "Outcome" in html
    assert 'href="http://localhost/pilots"' in html
    assert markup_dangers(html) == []
