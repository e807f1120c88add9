"""The load mix for `make bench-load`: readers, searchers, feed pollers and editors.

Searchers use /search (words from the demo pilots, sometimes with a filter); feed pollers poll
/feeds/pilots.atom and /feeds/events.atom as feed readers do, sending back the ETag they were
given. PilotPageUser and HelloUser are the saturating pair for the pilot page : bare Flask ratio.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from locust import FastHttpUser, between, constant, task

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
EDITOR = re.compile(r'value="(\d+)"[^>]*>\s*<label[^>]*>\s*Priya Shah')


class ReaderUser(FastHttpUser):
    weight = 6
    wait_time = between(1, 3)

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
    wait_time = between(1, 3)

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
    wait_time = between(2, 5)

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
    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        page = self.client.get("/auth/dev", name="/auth/dev").text
        editor = EDITOR.search(page)
        self.client.post(
            "/auth/dev",
            data={"csrf_token": CSRF.search(page).group(1), "user_id": editor.group(1)},
            name="/auth/dev",
        )
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
