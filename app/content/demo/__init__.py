"""`flask demo load`: the demo councils, pilots and users in content/demo/; running it twice
changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.auth.models import Membership
from app.auth.service import DEV_ISSUER, get_or_create_user
from app.content.tracker_demo import load_tracker_demo
from app.councils.service import ImportSummary, council_by_code, import_councils
from app.extensions import db
from app.funding.demo import FundingDemoSummary, load_funding_demo
from app.pilots.importer import PilotImportSummary, import_pilots

# (subject, name, email, role, council code)
DEMO_USERS = (
    ("demo-editor-kec", "Priya Shah", "priya.shah@rbkc.example", "editor", "KEC"),
    ("demo-editor-hrt", "Tom Hughes", "tom.hughes@hertfordshire.example", "editor", "HRT"),
    ("demo-admin-wbk", "Alex Morgan", "alex.morgan@westberks.example", "council-admin", "WBK"),
    ("demo-editor-wbk", "Sam Green", "sam.green@westberks.example", "editor", "WBK"),
    ("demo-funder", "Jo Bennett", "jo.bennett@funder.example", "funder", None),
    ("demo-admin", "Registry Admin", "admin@proving-ground.example", "admin", None),
)


@dataclass
class DemoSummary:
    councils: ImportSummary
    pilots: PilotImportSummary
    users_created: int
    tracker_pilots: int = 0
    funding: FundingDemoSummary | None = None


def load_demo() -> DemoSummary:
    """Load the demo councils, pilots and users."""
    demo_dir = Path(current_app.config["CONTENT_DIR"]) / "demo"
    councils = import_councils((demo_dir / "councils.csv").read_text(encoding="utf-8"))
    pilots = import_pilots((demo_dir / "pilots.csv").read_text(encoding="utf-8"))
    created = 0
    for subject, name, email, role, code in DEMO_USERS:
        existing = db.session.scalar(
            select(Membership.id)
            .join(Membership.user)
            .where(Membership.role == role)
            .where(Membership.user.has(subject=subject, issuer=DEV_ISSUER))
        )
        if existing:
            continue
        user = get_or_create_user(DEV_ISSUER, subject, email, name)
        user.email_verified = True
        council = council_by_code(code) if code else None
        db.session.add(Membership(user=user, role=role, council=council, status="approved"))
        created += 1
    db.session.commit()
    tracker = load_tracker_demo(demo_dir / "tracker.json")
    funding = load_funding_demo((demo_dir / "funding.json").read_text(encoding="utf-8"))
    return DemoSummary(councils, pilots, created, tracker, funding)
