"""`flask demo load`: the demo registry in content/demo/ (councils, pilots, tracker records,
funding and people), loaded in one transaction: all of it or, if any part fails, nothing.
Running it twice changes nothing.

- councils.csv and pilots.csv go through the registry's own importers;
- `people` adds the demo users (signed in with the development sign-in) and their roles;
- `tracker` registers pilots with their success measures, results, updates and extensions
  from tracker.json, through the pilots services, as editors would;
- `funding` upserts programmes and awards from funding.json;
- `appraisals` gives four pilots their options appraisals from appraisals.json, each a major
  amendment with a reason.
- `choosing` makes ideas and prioritisation rounds from choosing.json, through the services.
- `consultations` adds residents' priorities from consultations.json.

Search is brought up to date once, from the committed whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from app.common.transactions import all_or_nothing
from app.content.demo.appraisals import load_appraisals_demo
from app.content.demo.choosing import load_choosing_demo
from app.content.demo.consultations import load_consultations_demo
from app.content.demo.funding import FundingDemoSummary, load_funding_demo
from app.content.demo.people import load_people
from app.content.demo.tracker import load_tracker_demo
from app.councils.service import ImportSummary, import_councils
from app.pilots.importer import PilotImportSummary, import_pilots
from app.search import indexing


@dataclass
class DemoSummary:
    councils: ImportSummary
    pilots: PilotImportSummary
    users_created: int
    tracker_pilots: int = 0
    funding: FundingDemoSummary | None = None
    appraisals: int = 0
    rounds_created: int = 0
    consultations: int = 0


def demo_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"]) / "demo"


def load_demo() -> DemoSummary:
    """Load the whole demo in one transaction, then bring search up to date."""
    folder = demo_dir()
    with all_or_nothing(search_sync=False):
        councils = import_councils((folder / "councils.csv").read_text(encoding="utf-8"))
        pilots = import_pilots((folder / "pilots.csv").read_text(encoding="utf-8"))
        users_created = load_people()
        tracker = load_tracker_demo(folder / "tracker.json")
        funding = load_funding_demo((folder / "funding.json").read_text(encoding="utf-8"))
        appraisals = load_appraisals_demo(folder / "appraisals.json")
        rounds = load_choosing_demo((folder / "choosing.json").read_text(encoding="utf-8"))
        consultations = load_consultations_demo(folder / "consultations.json")
    indexing.reindex()
    return DemoSummary(
        councils, pilots, users_created, tracker, funding, appraisals, rounds, consultations
    )
