"""Every GET route in the URL map, with real objects in its path: for tests that must hold on
every page (cache headers, refused input), so a route added later is walked without being listed."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from flask import Flask
from werkzeug.routing import Rule

from app.api.tokens import create_token
from app.appraisal.service import save_appraisal
from app.auth.models import CouncilDomain, Membership
from app.choosing.models.consultations import ConsultationAnswer
from app.extensions import db
from tests.appraisal.factories import shortlist
from tests.factories import (
    create_award,
    create_consultation,
    create_council,
    create_idea,
    create_measure,
    create_pilot,
    create_programme,
    create_round,
    create_user,
)

VARIABLE = re.compile(r"<(?:[^<>]*:)?(\w+)>")
# What fills a `slug`, by endpoint or else by blueprint: one name, several kinds of thing.
SLUG_BY_ENDPOINT = {
    "feeds.pillar": "pillar",
    "feeds.programme": "programme",
    "feeds.pilot_events": "registered",
}
SLUG_BY_BLUEPRINT = {
    "pilots": "draft",
    "appraisal": "registered",
    "funding": "programme",
    "pillars": "pillar",
    "api": "registered",
}
OTHER_VARIABLES = {
    "measure_id": "measure",
    "award_id": "award",
    "membership_id": "request",
    "domain_id": "domain",
    "idea_id": "idea",
    "round_id": "round",
    "consultation_id": "consultation",
    "answer_id": "comment",
    "token": "token",  # alerts' signed links: one that is not, refused with a 400 page
    "token_id": "api_token",
    "user_id": "person",
}


def walk_objects() -> dict[str, Any]:
    """A council AAA with a draft and a registered pilot, a measure, a programme with an award,
    a request to join and a domain waiting for approval, an idea, a closed round and an open
    consultation with a comment: something real for every path variable (kind → value in an
    address)."""
    lead = create_council(code="AAA", nice_name="Alphaton")
    asker = create_user()
    request = Membership(user=asker, role="editor", council=lead, status="pending")
    domain = CouncilDomain(council=lead, domain="alphaton.example", status="pending")
    db.session.add_all([request, domain])
    draft = create_pilot(lead, status="draft", title="Draft title")
    registered = create_pilot(lead, status="registered", title="Registered title")
    save_appraisal(registered, shortlist())
    programme = create_programme()
    consultation = create_consultation(lead)
    comment = ConsultationAnswer(consultation=consultation, channel="paper", comment="Buses")
    db.session.add(comment)
    db.session.commit()
    return {
        "draft": draft.slug,
        "registered": registered.slug,
        "programme": programme.slug,
        "pillar": "inclusion",
        "code": "aaa",
        "fmt": "atom",
        "provider": "none",
        "filename": "images/favicon.svg",
        "unknown": "nothing.atom",
        "action": "stop",
        "measure": create_measure(draft).id,
        "award": create_award(programme, registered).id,
        "request": request.id,
        "domain": domain.id,
        "table": "options",
        "idea": create_idea(lead).id,
        "round": create_round(lead, "closed").id,
        "consultation": consultation.id,
        "comment": comment.id,
        "token": "not-a-link",
        "api_token": create_token(lead, "Walk", ["pilots:write"], 30, None).token.id,
        "person": asker.id,
    }


def get_rules(app: Flask, method: str = "GET") -> list[Rule]:
    """Every rule that answers `method`, in address order."""
    rules = (rule for rule in app.url_map.iter_rules() if method in (rule.methods or ()))
    return sorted(rules, key=lambda rule: rule.rule)


def variable_kind(rule: Rule, name: str) -> str:
    """Which key of walk_objects() fills the variable `name` in this rule."""
    if name == "slug":
        return SLUG_BY_ENDPOINT.get(rule.endpoint) or SLUG_BY_BLUEPRINT[rule.endpoint.split(".")[0]]
    return OTHER_VARIABLES.get(name, name)


def build_path(rule: Rule, objects: dict[str, Any], replace: dict[str, str] | None = None) -> str:
    """The rule's address with real objects in it, or `replace`'s raw text for some variables."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if replace and name in replace:
            return quote(replace[name], safe="")
        return quote(str(objects[variable_kind(rule, name)]), safe="/")

    return VARIABLE.sub(fill, rule.rule)
