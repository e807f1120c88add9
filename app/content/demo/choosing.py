"""The demo ideas and prioritisation rounds (content/demo/choosing.json), made through the
choosing services as the councils' people would: ideas written, rounds set up, opened, declared
on, scored, closed, scored a second time and decided. Hertfordshire's round is decided, with a
declaration, a second scoring and a departure from the ranking, its chosen idea now a running
pilot; Kensington and Chelsea's is scoring, two of its three panel members done, so hidden
scores can be seen to stay hidden; West Berkshire has one in draft and one closed, waiting for
its decision. Ideas are found by (council,
title) and rounds by (council, title), so loading twice changes nothing."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.auth.service import DEV_ISSUER
from app.choosing import decisions, ideas, lifecycle, scoring, setup
from app.choosing.models import Idea, Round
from app.councils.service import council_by_code
from app.extensions import db
from app.pilots.service import pilot_by_slug

# Where a round the demo leaves unfinished stops: as a draft, scoring, or closed undecided.
STEPS_BEFORE_SCORES = {"draft": (), "scoring": ("open", "scoring"), "closed": ("open", "scoring")}
ALL_STEPS = ("open", "scoring")


def _person(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _registry_admin() -> User | None:
    return db.session.scalar(
        select(User).where(User.issuer == DEV_ISSUER, User.subject == "demo-admin")
    )


def _idea(spec: dict[str, Any], actor: User | None) -> Idea:
    council = council_by_code(spec["council"])
    assert council is not None, spec["council"]
    found = db.session.scalar(
        select(Idea).where(Idea.council_id == council.id, Idea.title == spec["title"])
    )
    if found is not None:
        return found
    data = ideas.IdeaInput(
        title=spec["title"], need=spec["need"], raised_by=spec["raised_by"],
        cost_band=spec["cost_band"], pillars=spec.get("pillars", []),
        replicates=spec.get("replicates", ""),
    )  # fmt: skip
    idea = ideas.create_idea(council, data, actor)
    if spec.get("published"):
        ideas.publish_idea(idea, actor)
    if spec.get("pilot"):
        # The demo's chosen idea is already a running pilot of the registry.
        idea.pilot = pilot_by_slug(spec["pilot"])
        db.session.commit()
    return idea


def _score(round_: Round, table: dict[str, dict[str, list[int]]]) -> None:
    titles = {link.idea.title: link.idea_id for link in round_.idea_links}
    for email, by_idea in table.items():
        entered = {
            (titles[title], criterion.id): scoring.EnteredScore(str(value))
            for title, values in by_idea.items()
            for criterion, value in zip(round_.criteria, values, strict=True)
        }
        scoring.save_scores(round_, _person(email), entered)


def _round(spec: dict[str, Any], by_title: dict[str, Idea], actor: User | None) -> bool:
    council = council_by_code(spec["council"])
    assert council is not None, spec["council"]
    exists = db.session.scalar(
        select(Round.id).where(Round.council_id == council.id, Round.title == spec["title"])
    )
    if exists:
        return False
    round_ideas = [i for i in by_title.values() if i.council_id == council.id]
    data = setup.SetupInput(
        title=spec["title"], idea_ids=[i.id for i in round_ideas], criteria=spec["criteria"],
        panel="\n".join(spec["panel"]), anonymous=spec.get("anonymous", False),
    )  # fmt: skip
    round_, _ = setup.create_round(council, data, actor)
    stop = spec.get("stop_at")
    for step in STEPS_BEFORE_SCORES[stop] if stop else ALL_STEPS:
        lifecycle.move_round(round_, step, actor)
    for declaration in spec.get("declarations", []):
        idea = by_title[declaration["idea"]] if declaration.get("idea") else None
        scoring.declare_interest(
            round_, _person(declaration["by"]), idea and idea.id, declaration["text"]
        )
    _score(round_, spec.get("scores", {}))
    if stop == "closed":
        lifecycle.move_round(round_, "closed", actor)
    if stop:
        return True
    lifecycle.move_round(round_, "closed", actor)
    if spec.get("second_scores") is not None:
        lifecycle.move_round(round_, "rescoring", actor)
        _score(round_, spec["second_scores"])
        lifecycle.move_round(round_, "closed", actor)
    if decision := spec.get("decision"):
        chosen = decisions.DecisionInput(
            chosen=[by_title[title].id for title in decision["chosen"]],
            departure_reason=decision.get("departure_reason", ""),
            meeting=decision["meeting"], minute_reference=decision["minute_reference"],
        )  # fmt: skip
        decisions.decide_round(round_, chosen, actor)
    return True


def load_choosing_demo(text: str) -> int:
    """Add the demo ideas and rounds that are not there yet; returns how many rounds it made."""
    spec = json.loads(text)
    actor = _registry_admin()
    by_title = {item["title"]: _idea(item, actor) for item in spec["ideas"]}
    return sum(_round(item, by_title, actor) for item in spec["rounds"])
