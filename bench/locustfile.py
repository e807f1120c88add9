"""The load mix for `make bench-load` and `make bench-capacity`: readers, searchers, feed pollers,
editors saving drafts, and writers changing what readers see.

Searchers use /search (words from the demo pilots, sometimes with a filter); feed pollers poll
/feeds/pilots.atom and /feeds/events.atom as feed readers do, sending back the ETag they were
given. Writers are the demo's three editors, signed in, one session for each registered or
running pilot of their councils (four), changing an open field (the summary or the location)
through its edit form or posting a progress update, at BENCH_WRITE_RATE writes a second between
them (1; 0 leaves them out): each write changes the content generation, so it empties every
worker's page cache as real editing does. With BENCH_WAIT=0 readers, searchers and feed
pollers ask again as soon as they are answered (the capacity run); editors and writers keep
their pace, so the write rate stays put.

Every request is counted as a read (readers, searchers, feed pollers), an editor's page or a
write (a form submitted), and BENCH_TIMES names a JSON file that gets each kind's response times,
failures and status codes at the end, and whether an anonymous reader sees each pilot's last
written summary. PilotPageUser and HelloUser are the saturating pair for the pilot page : bare
Flask ratio.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import re
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, constant_pacing, events, task

from bench.forms import form_fields, replaced

DEMO = Path(__file__).resolve().parent.parent / "content" / "demo" / "pilots.csv"
with DEMO.open(encoding="utf-8") as handle:
    ROWS = list(csv.DictReader(handle))
SLUGS = [row["slug"] for row in ROWS if row["status"] != "draft"]
COUNCILS = sorted({row["lead_council"].lower() for row in ROWS})
PILLARS = [
    "understanding-needs", "business-case", "developing-solutions", "inclusion",
    "measuring-effectiveness", "communicating-success",
]  # fmt: skip
STATUSES = ["registered", "running", "concluded"]
# Words people would search for, from the demo pilots' titles (some common, some rare).
WORDS = sorted({w.lower() for row in ROWS for w in re.findall(r"[A-Za-z]{5,}", row["title"])})
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The demo's editors (app/content/demo/people.py) and their councils.
EDITORS = {"Priya Shah": "KEC", "Tom Hughes": "HRT", "Sam Green": "WBK"}
# Each editor's registered and running pilots (their open fields change without an amendment,
# and they take progress updates), one writer each: two sessions saving one pilot's form at once
# would each send back the other's old values (the forms carry no version), and the check at the
# end could not say which write should show.
UNDER_WAY = [
    (name, row["slug"])
    for name, code in EDITORS.items()
    for row in ROWS
    if row["lead_council"] == code and row["status"] in STATUSES[:2]
]
WAITING = os.environ.get("BENCH_WAIT", "1") != "0"
WRITE_RATE = float(os.environ.get("BENCH_WRITE_RATE", "1"))
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def reader_wait(low: float, high: float) -> Any:
    return between(low, high) if WAITING else constant(0)


def sign_in(user: FastHttpUser, name: str) -> None:
    """The development sign-in, as the named demo person."""
    page = user.client.get("/auth/dev", name="/auth/dev").text
    person = re.search(r'value="(\d+)"[^>]*>\s*<label[^>]*>\s*' + re.escape(name), page)
    user.client.post(
        "/auth/dev",
        data={"csrf_token": CSRF.search(page).group(1), "user_id": person.group(1)},
        name="/auth/dev",
    )


class ReaderUser(FastHttpUser):
    weight = 6
    wait_time = reader_wait(1, 3)

    def context(self) -> dict[str, str]:
        return {"kind": "read"}

    @task(4)
    def pilot(self) -> None:
        self.client.get(f"/pilots/{random.choice(SLUGS)}", name="/pilots/[slug]")

    @task(2)
    def pilots(self) -> None:
        self.client.get("/pilots")

    @task(1)
    def home(self) -> None:
        self.client.get("/")

    @task(1)
    def council(self) -> None:
        self.client.get(f"/councils/{random.choice(COUNCILS)}", name="/councils/[code]")

    @task(1)
    def pillar(self) -> None:
        self.client.get(f"/pillars/{random.choice(PILLARS)}", name="/pillars/[slug]")


class SearcherUser(FastHttpUser):
    weight = 3
    wait_time = reader_wait(1, 3)

    def context(self) -> dict[str, str]:
        return {"kind": "read"}

    @task(3)
    def search(self) -> None:
        self.client.get(f"/search?q={random.choice(WORDS)}", name="/search?q")

    @task(1)
    def search_filtered(self) -> None:
        query = f"q={random.choice(WORDS)}&pillar={random.choice(PILLARS)}"
        self.client.get(f"/search?{query}", name="/search?q&pillar")

    @task(1)
    def filter_pilots(self) -> None:
        query = f"pillar={random.choice(PILLARS)}&status={random.choice(STATUSES)}"
        self.client.get(f"/pilots?{query}", name="/pilots?pillar&status")


class FeedPollerUser(FastHttpUser):
    weight = 2
    wait_time = reader_wait(2, 5)

    def context(self) -> dict[str, str]:
        return {"kind": "read"}

    def on_start(self) -> None:
        self.etags: dict[str, str] = {}

    def _poll(self, path: str) -> None:
        headers = {"If-None-Match": self.etags[path]} if path in self.etags else {}
        with self.client.get(path, headers=headers, catch_response=True) as response:
            if response.status_code in (200, 304):
                self.etags[path] = response.headers.get("ETag", self.etags.get(path, ""))
                response.success()

    @task
    def poll(self) -> None:
        self._poll("/feeds/pilots.atom")
        self._poll("/feeds/events.atom")


class EditorUser(FastHttpUser):
    """Saves and edits drafts, which only their council sees: no page cache is emptied."""

    weight = 1
    wait_time = between(2, 5)

    def context(self) -> dict[str, str]:
        return {"kind": "editor"}

    def on_start(self) -> None:
        sign_in(self, "Priya Shah")
        self.mine: list[str] = []

    @task(2)
    def create_draft(self) -> None:
        page = self.client.get("/pilots/new", name="/pilots/new").text
        n = random.randrange(10**9)
        with self.client.post(
            "/pilots/new",
            data={
                "csrf_token": CSRF.search(page).group(1),
                "title": f"Load test draft {n}",
                "lead_council": "KEC",
                "summary": "A draft made by the load test.",
                "hypothesis": "We believe the registry stays fast. We will know when p95 holds.",
                "pillars": random.choice(PILLARS),
                "tags": "load-test",
                "case_study": "## What happened\n\nNothing yet. " * 20,
            },
            name="/pilots/new",
            catch_response=True,
        ) as response:
            if "Draft saved" not in response.text:
                response.failure("the draft was not saved")
            else:
                self.mine.append(response.url.rsplit("/", 1)[1])

    @task(1)
    def edit_draft(self) -> None:
        if not self.mine:
            return
        slug = random.choice(self.mine)
        page = self.client.get(f"/pilots/{slug}/edit", name="/pilots/[slug]/edit").text
        with self.client.post(
            f"/pilots/{slug}/edit",
            data={
                "csrf_token": CSRF.search(page).group(1),
                "title": f"Load test draft {slug} (edited)",
                "lead_council": "KEC",
                "summary": "Edited by the load test.",
                "hypothesis": "We believe the registry stays fast. We will know when p95 holds.",
                "pillars": "inclusion",
            },
            name="/pilots/[slug]/edit",
            catch_response=True,
        ) as response:
            if "Your changes have been saved" not in response.text:
                response.failure("the edit was not saved")


WRITERS = iter(UNDER_WAY)
# slug -> the number of the last summary saved and acknowledged, for the end-of-run check.
LAST_SUMMARY: dict[str, int] = {}
SUMMARY = "Changed by the load test, write {}."
SUMMARY_SEEN = re.compile(r"Changed by the load test, write (\d+)\.")
WRITES = itertools.count(1)


class WriterUser(FastHttpUser):
    """One of the demo editors, changing pilots under way through the real forms: the summary or
    the location (open fields: registering freezes only the hypothesis, the planned end date and
    the evaluation design) or a progress update. Each is a write readers see."""

    # One session for each pilot, each writing every len(UNDER_WAY) / WRITE_RATE seconds (4 s):
    # the rate holds as long as a write (its form, then the post) takes less than that.
    fixed_count = len(UNDER_WAY) if WRITE_RATE > 0 else 0
    wait_time = constant_pacing(len(UNDER_WAY) / WRITE_RATE if WRITE_RATE > 0 else 1)

    def context(self) -> dict[str, str]:
        return {"kind": "editor"}

    def on_start(self) -> None:
        name, self.slug = next(WRITERS)
        sign_in(self, name)

    def _submit(self, path: str, name: str, page: str, field: str, **values: str) -> bool:
        """Send the page's form back with `values` changed; a write succeeds when it redirects
        to the pilot's page (a refused form comes back as a 400 with its errors)."""
        body = urlencode(replaced(form_fields(page, field), **values))
        with self.client.post(
            path, data=body, headers=FORM, name=name, allow_redirects=False,
            context={"kind": "write"}, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code in (302, 303) and "/pilots/" in response.headers.get(
                "Location", ""
            ):
                response.success()
                return True
            response.failure(f"write refused: {response.status_code}")
            return False

    @task(2)
    def edit_open_field(self) -> None:
        slug = self.slug
        page = self.client.get(f"/pilots/{slug}/edit", name="/pilots/[slug]/edit (under way)")
        n = next(WRITES)
        field = random.choice(("summary", "location"))
        text = SUMMARY.format(n) if field == "summary" else f"Wards of the load test, write {n}"
        if self._submit(
            f"/pilots/{slug}/edit", "/pilots/[slug]/edit (under way)", page.text, field,
            **{field: text},
        ) and field == "summary":  # fmt: skip
            LAST_SUMMARY[slug] = max(n, LAST_SUMMARY.get(slug, 0))

    @task(1)
    def progress_update(self) -> None:
        slug = self.slug
        page = self.client.get(f"/pilots/{slug}/updates/new", name="/pilots/[slug]/updates/new")
        text = f"Progress reported by the load test, write {next(WRITES)}."
        self._submit(
            f"/pilots/{slug}/updates/new", "/pilots/[slug]/updates/new", page.text, "text",
            text=text,
        )  # fmt: skip


class Timings:
    """Each kind's response times (ms), failures and status codes, for BENCH_TIMES."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {"read": [], "editor": [], "write": []}
        self.failures: Counter[str] = Counter()
        self.statuses: dict[str, Counter[str]] = {kind: Counter() for kind in self.times}


TIMINGS = Timings()


@events.request.add_listener
def count_request(
    response_time: float, exception: Exception | None, context: dict[str, str],
    response: Any = None, **_: Any,
) -> None:  # fmt: skip
    kind = context.get("kind")
    if kind not in TIMINGS.times:
        return
    TIMINGS.times[kind].append(response_time)
    status = getattr(response, "status_code", 0) or 0
    TIMINGS.statuses[kind][f"{status // 100}xx" if status else "none"] += 1
    if exception is not None:
        TIMINGS.failures[kind] += 1


@events.test_stop.add_listener
def write_timings(environment: Any, **_: Any) -> None:
    path = os.environ.get("BENCH_TIMES")
    if not path:
        return
    # As an anonymous reader, through the page cache: the last acknowledged summary, or a later
    # one whose answer the end of the run cut off.
    # A page that shows an older one is asked for again for up to 10 s: how long it stayed stale.
    seen: dict[str, float | None] = {}
    for slug, acknowledged in LAST_SUMMARY.items():
        url, started = f"{environment.host}/pilots/{slug}", time.monotonic()
        seen[slug] = None
        for attempt in itertools.count():
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
                shown = [int(n) for n in SUMMARY_SEEN.findall(response.read().decode())]
            if max(shown, default=0) >= acknowledged:
                seen[slug] = time.monotonic() - started if attempt else 0.0
                break
            if time.monotonic() - started > 10:
                break
            time.sleep(0.1)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "times": TIMINGS.times,
                "failures": dict(TIMINGS.failures),
                "statuses": {kind: dict(counts) for kind, counts in TIMINGS.statuses.items()},
                "last_summary_seen": seen,
            },
            handle,
        )


class PilotPageUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def pilot(self) -> None:
        self.client.get(f"/pilots/{random.choice(SLUGS)}", name="/pilots/[slug]")


class HelloUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def hello(self) -> None:
        self.client.get("/", name="hello world")
