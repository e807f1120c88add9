"""Ideas, consultations, prioritisation rounds and appraisals for a generated registry, added
after the pilots (bench/registry.py) by a cheap step of its own, so that registries already
made are completed without being made again (100,000 pilots take about 20 minutes).

In proportion to N pilots: N/10 ideas across the councils as their pilots are (the busiest
council raising most), a quarter of them published; the demo's consultations for the busiest
council and for N/2,000 others, each of the busiest council's with N/20 more answers online;
the demo's prioritisation rounds for the busiest council, one decided (through the choosing
services, as its people would); and an appraisal, from the demo's, for one concluded pilot in
200, the showcase pilot first, with outturn recorded where the demo's has one.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from app.appraisal.models import Appraisal
from app.auth.models import Membership, User
from app.choosing.models import COST_BANDS, RAISED_BY, Idea, IdeaPillar, Round
from app.choosing.models.consultations import (
    AnswerChoice,
    Consultation,
    ConsultationAnswer,
    ConsultationOption,
)
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import OutcomeReport, Pilot
from scripts.bench_search import PILLARS, SEED, vocabulary

DEMO = Path(__file__).resolve().parent.parent / "content/demo"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def has_choosing() -> bool:
    return db.session.scalar(select(func.count()).select_from(Idea)) != 0


def add_choosing_and_appraisals(n: int, council_code: str, showcase: str) -> dict[str, Any]:
    """Add it all to the current app's registry of `n` pilots; what the page benchmark needs to
    find again (ids of an idea, a consultation, a decided round; an appraised pilot)."""
    rng = random.Random(SEED + n + 1)
    busiest = db.session.scalars(select(Council).where(Council.code == council_code)).one()
    idea_id = _ideas(rng, n, busiest.id)
    consultation_id = _consultations(rng, n, busiest)
    round_id = _rounds(busiest)
    appraised = _appraisals(rng, n, showcase)
    db.session.commit()
    return {
        "idea_id": idea_id, "consultation_id": consultation_id, "round_id": round_id,
        "appraised_slug": appraised,
    }  # fmt: skip


def _ideas(rng: random.Random, n: int, busiest: int) -> int:
    vocab = vocabulary(rng)
    leads = list(db.session.scalars(select(Pilot.lead_council_id).where(Pilot.id % 10 == 0)))
    ideas, pillars = [], []
    first = (db.session.scalar(select(func.max(Idea.id))) or 0) + 1
    for k, council in enumerate([busiest] * 3 + leads):
        at = NOW - timedelta(days=rng.randint(1, 900))
        ideas.append({
            "id": first + k, "council_id": council,
            "title": " ".join(rng.choices(vocab, k=rng.randint(4, 8))).capitalize()[:140],
            "need": " ".join(rng.choices(vocab, k=rng.randint(15, 40))),
            "raised_by": rng.choice(RAISED_BY), "cost_band": rng.choice(COST_BANDS),
            "replicates_id": rng.randint(1, n) if rng.random() < 0.1 else None,
            "published_at": at if k < 3 or rng.random() < 0.25 else None,
            "created_at": at, "updated_at": at,
        })  # fmt: skip
        for slug in rng.sample(PILLARS, rng.randint(1, 2)):
            pillars.append({"idea_id": first + k, "pillar_slug": slug})
    for start in range(0, len(ideas), 5_000):
        db.session.execute(insert(Idea), ideas[start : start + 5_000])
    db.session.execute(insert(IdeaPillar), pillars)
    return first


def _demo(name: str) -> dict[str, Any]:
    return dict(json.loads((DEMO / name).read_text(encoding="utf-8")))


def _consultations(rng: random.Random, n: int, busiest: Council) -> int:
    from app.content.demo.consultations import _add

    others = db.session.scalars(
        select(Council).where(Council.id != busiest.id).order_by(Council.id)
    ).all()
    demo = _demo("consultations.json")["consultations"]
    for council in [busiest, *rng.sample(list(others), min(len(others), n // 2000))]:
        for entry in demo:
            _add(council, entry)
    db.session.flush()
    theirs = db.session.scalars(
        select(Consultation).where(Consultation.council_id == busiest.id).order_by(Consultation.id)
    ).all()
    for consultation in theirs:
        _more_answers(rng, consultation, n // 20)
    return next(c.id for c in theirs if c.status == "closed")


def _more_answers(rng: random.Random, consultation: Consultation, count: int) -> None:
    options = db.session.scalars(
        select(ConsultationOption.id).where(ConsultationOption.consultation_id == consultation.id)
    ).all()
    first = (db.session.scalar(select(func.max(ConsultationAnswer.id))) or 0) + 1
    opened = consultation.opened_at or NOW
    answers, choices = [], []
    for k in range(count):
        answers.append({
            "id": first + k, "consultation_id": consultation.id, "channel": "online",
            "session_key": f"{consultation.id}-{k:060d}"[:64], "comment": "",
            "comment_status": "none", "created_at": opened + timedelta(minutes=k),
        })  # fmt: skip
        picked = rng.sample(options, min(len(options), consultation.max_choices or 1))
        for rank, option in enumerate(picked, start=1):
            choices.append({"answer_id": first + k, "option_id": option, "rank": rank})
    if answers:
        db.session.execute(insert(ConsultationAnswer), answers)
        db.session.execute(insert(AnswerChoice), choices)


def _rounds(busiest: Council) -> int:
    """The demo's rounds, for the busiest council, through the choosing services."""
    from app.content.demo.choosing import load_choosing_demo

    spec = _demo("choosing.json")
    # The demo's decided round and its council's ideas, made the busiest council's.
    home = spec["rounds"][0]["council"]
    spec = {key: [item for item in items if item["council"] == home] for key, items in spec.items()}
    for item in spec["ideas"] + spec["rounds"]:
        item["council"] = busiest.code
    for idea in spec["ideas"]:  # the demo's pilots are not in this registry
        idea.pop("replicates", None)
        idea.pop("pilot", None)
    emails = {e for r in spec["rounds"] for e in r["panel"]}
    for email in sorted(emails):
        user = User(
            issuer="https://bench.invalid", subject=email, name=email.split("@")[0],
            email=email, email_verified=True,
        )  # fmt: skip
        db.session.add(user)
        db.session.add(
            Membership(user=user, role="panel-member", council_id=busiest.id, status="approved")
        )
    db.session.commit()
    load_choosing_demo(json.dumps(spec))
    return (
        db.session.scalars(
            select(Round.id)
            .where(Round.council_id == busiest.id, Round.decided_at.is_not(None))
            .order_by(Round.id)
        ).first()
        or db.session.scalars(select(Round.id).order_by(Round.id)).one()
    )


def _appraisals(rng: random.Random, n: int, showcase: str) -> str:
    from app.appraisal.amending import write_appraisal
    from app.appraisal.outturn import carried_out
    from app.appraisal.validation import AppraisalError
    from app.content.demo.appraisals import _appraisal, _record_outturn

    specs = list(_demo("appraisals.json")["appraisals"].values())
    # Outturn is recorded once the outcome report is filed: pilots that have filed one, so
    # that even a small registry has a business case to compare (the query-count test).
    reported = db.session.scalars(
        select(Pilot.slug)
        .join(OutcomeReport, OutcomeReport.pilot_id == Pilot.id)
        .where(Pilot.status == "concluded")
        .order_by(Pilot.id)
    ).all()
    chosen = [showcase, reported[0], *rng.sample(list(reported), min(len(reported), n // 200))]
    done = set()
    for k, slug in enumerate(chosen):
        if slug in done:
            continue
        done.add(slug)
        pilot = db.session.scalars(select(Pilot).where(Pilot.slug == slug)).one()
        spec = specs[k % len(specs)]
        at = datetime.combine(date.fromisoformat(spec["on"]), time(9, 0), tzinfo=UTC)
        saved: Appraisal = write_appraisal(pilot, _appraisal(spec), None, spec["reason"], at)
        if "outturn" in spec and carried_out(saved) is not None:
            try:  # only once the pilot's outcome report is filed (85 % of concluded ones)
                _record_outturn(pilot, saved, spec["outturn"], None)
            except AppraisalError:
                db.session.rollback()
    return showcase
