"""The demo's people: one of each role, signed in with the development sign-in."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Membership
from app.auth.service import DEV_ISSUER, get_or_create_user
from app.councils.service import council_by_code
from app.extensions import db

PANEL = "panel-member"

# (subject, name, email, role, council code)
DEMO_USERS = (
    ("demo-editor-kec", "Priya Shah", "priya.shah@rbkc.example", "editor", "KEC"),
    ("demo-editor-hrt", "Tom Hughes", "tom.hughes@hertfordshire.example", "editor", "HRT"),
    ("demo-admin-wbk", "Alex Morgan", "alex.morgan@westberks.example", "council-admin", "WBK"),
    ("demo-editor-wbk", "Sam Green", "sam.green@westberks.example", "editor", "WBK"),
    ("demo-funder", "Jo Bennett", "jo.bennett@funder.example", "funder", None),
    ("demo-admin", "Registry Admin", "admin@proving-ground.example", "admin", None),
    # Panel members of the demo prioritisation rounds (content/demo/choosing.json).
    ("demo-panel-hrt-1", "Cllr Ruth Okafor", "ruth.okafor@hertfordshire.example", PANEL, "HRT"),
    ("demo-panel-hrt-2", "Cllr David Lees", "david.lees@hertfordshire.example", PANEL, "HRT"),
    ("demo-panel-hrt-3", "Mina Patel", "mina.patel@hertfordshire.example", PANEL, "HRT"),
    ("demo-panel-kec-1", "Cllr Helen Ward", "helen.ward@rbkc.example", PANEL, "KEC"),
    ("demo-panel-kec-2", "Cllr Omar Haddad", "omar.haddad@rbkc.example", PANEL, "KEC"),
    ("demo-panel-kec-3", "Grace Lin", "grace.lin@rbkc.example", PANEL, "KEC"),
    ("demo-panel-wbk-1", "Cllr Kate Brown", "kate.brown@westberks.example", PANEL, "WBK"),
    ("demo-panel-wbk-2", "Cllr Li Wei", "li.wei@westberks.example", PANEL, "WBK"),
    ("demo-panel-wbk-3", "Sean Doyle", "sean.doyle@westberks.example", PANEL, "WBK"),
)  # fmt: skip


def load_people() -> int:
    """Add each demo person with their role, unless they have it already; returns how many."""
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
    return created
