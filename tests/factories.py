"""create_* helpers: real rows through the models, with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.auth.models import Membership, User
from app.common.db_types import utcnow
from app.councils.models import Council
from app.extensions import db
from app.pilots.models import Pilot, PilotPillar, PilotTag, SuccessMeasure

_counter = itertools.count(1)


def _code(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "Z" + letters[(n // 26) % 26] + letters[n % 26]


def create_council(**values: Any) -> Council:
    n = next(_counter)
    code = values.pop("code", _code(n))
    name = values.pop("nice_name", f"Testshire {n}")
    council = Council(
        code=code,
        official_name=values.pop("official_name", f"{name} Council"),
        nice_name=name,
        gss_code=values.pop("gss_code", f"E{n:08d}"),
        nation=values.pop("nation", "England"),
        region=values.pop("region", "South East"),
        la_type=values.pop("la_type", "UA"),
        la_type_name=values.pop("la_type_name", "Unitary authority"),
        is_current=values.pop("is_current", True),
        **values,
    )
    db.session.add(council)
    db.session.commit()
    return council


def create_user(role: str | None = None, council: Council | None = None, **values: Any) -> User:
    n = next(_counter)
    user = User(
        issuer=values.pop("issuer", "https://idp.test"),
        subject=values.pop("subject", f"subject-{n}"),
        email=values.pop("email", f"user{n}@council.test"),
        name=values.pop("name", f"Test User {n}"),
        email_verified=values.pop("email_verified", True),
        **values,
    )
    db.session.add(user)
    if role:
        db.session.add(Membership(user=user, role=role, council=council, status="approved"))
    db.session.commit()
    return user


def create_pilot(lead_council: Council | None = None, **values: Any) -> Pilot:
    n = next(_counter)
    pillars = values.pop("pillars", ["developing-solutions"])
    tags = values.pop("tags", [])
    partners = values.pop("partners", [])
    status = values.pop("status", "registered")
    values.setdefault("evaluation_design", 2)
    pilot = Pilot(
        slug=values.pop("slug", f"test-pilot-{n}"),
        title=values.pop("title", f"Test pilot {n}"),
        summary=values.pop("summary", "A short summary."),
        hypothesis=values.pop(
            "hypothesis",
            "We believe that a chatbot will result in fewer calls. "
            "We will know when we see calls fall by 20%.",
        ),
        lead_council=lead_council or create_council(),
        status=status,
        start_date=values.pop("start_date", date(2026, 1, 1)),
        planned_end_date=values.pop("planned_end_date", date(2026, 6, 30)),
        registered_at=values.pop("registered_at", None if status == "draft" else utcnow()),
        **values,
    )
    pilot.partners = list(partners)
    pilot.pillar_links = [PilotPillar(pillar_slug=s) for s in pillars]
    pilot.tag_links = [PilotTag(tag=t) for t in tags]
    db.session.add(pilot)
    db.session.commit()
    return pilot


def create_measure(pilot: Pilot, **values: Any) -> SuccessMeasure:
    """A primary measure where higher is better: target 80, disproved at or below 60."""
    measure = SuccessMeasure(
        pilot_id=pilot.id,
        name=values.pop("name", "Share of calls resolved online"),
        method=values.pop("method", "Counted monthly from the contact centre system."),
        unit=values.pop("unit", "%"),
        baseline=values.pop("baseline", Decimal("50")),
        target=values.pop("target", Decimal("80")),
        disproved_if=values.pop("disproved_if", Decimal("60")),
        direction=values.pop("direction", "higher"),
        time_frame=values.pop("time_frame", "The six months of the pilot"),
        kind=values.pop("kind", "primary"),
        post_hoc=values.pop("post_hoc", False),
        **values,
    )
    db.session.add(measure)
    db.session.commit()
    return measure


def create_outcome(pilot: Pilot, reported_on: date, verdict: str = "proved", **values: Any) -> Any:
    """A concluded pilot's outcome report, filed on `reported_on`."""
    from app.pilots.models import OutcomeReport

    pilot.status, pilot.verdict = "concluded", verdict
    report = OutcomeReport(
        pilot_id=pilot.id,
        narrative=values.pop("narrative", "What we learnt."),
        proposed_verdict=values.pop("proposed_verdict", verdict),
        verdict=verdict,
        reported_on=reported_on,
        **values,
    )
    db.session.add(report)
    db.session.commit()
    return report


def create_progress_update(pilot: Pilot, text: str, on: date | None = None) -> Any:
    """A dated progress update from the pilot's lead council."""
    from app.pilots.models import ProgressUpdate

    update = ProgressUpdate(
        pilot_id=pilot.id, council_id=pilot.lead_council_id, on=on or date(2026, 2, 1), text=text
    )
    db.session.add(update)
    db.session.commit()
    return update


def create_registered_pilot(lead_council: Council | None = None, **values: Any) -> Pilot:
    """A pilot registered through the real service: one primary measure and version 1.0."""
    from app.pilots.lifecycle import register_pilot

    pilot = create_pilot(lead_council, status="draft", **values)
    create_measure(pilot)
    register_pilot(pilot, None, date(2025, 12, 1))
    return pilot


def create_programme(**values: Any) -> Any:
    from app.funding.models import Programme, ProgrammePillar

    n = next(_counter)
    pillars = values.pop("pillars", ["inclusion"])
    programme = Programme(
        slug=values.pop("slug", f"test-programme-{n}"),
        name=values.pop("name", f"Test programme {n}"),
        funder_name=values.pop("funder_name", "Department for Testing"),
        funder_org_id=values.pop("funder_org_id", "GB-GOR-D99"),
        round=values.pop("round", "Round 1"),
        total_budget_pence=values.pop("total_budget_pence", 0),
        opens_on=values.pop("opens_on", date(2025, 1, 1)),
        closes_on=values.pop("closes_on", date(2025, 3, 31)),
        **values,
    )
    programme.pillar_links = [ProgrammePillar(pillar_slug=s) for s in pillars]
    db.session.add(programme)
    db.session.commit()
    return programme


def create_award(programme: Any, pilot: Pilot, **values: Any) -> Any:
    from app.funding.models import Award

    n = next(_counter)
    award = Award(
        programme=programme,
        pilot=pilot,
        recipient=values.pop("recipient", pilot.lead_council),
        reference=values.pop("reference", f"REF-{n}"),
        amount_awarded_pence=values.pop("amount_awarded_pence", 10_000_00),
        amount_disbursed_pence=values.pop("amount_disbursed_pence", 0),
        award_date=values.pop("award_date", date(2025, 4, 1)),
        **values,
    )
    db.session.add(award)
    db.session.commit()
    return award


def reload_pilot(pilot: Pilot) -> Pilot:
    """The pilot as the database has it now, not as this session last saw it."""
    db.session.expire_all()
    return db.session.scalars(select(Pilot).where(Pilot.slug == pilot.slug)).one()


def create_idea(council: Council, **values: Any) -> Any:
    """An idea of the council, private unless `published=True`."""
    from app.choosing.models import Idea

    n = next(_counter)
    published = values.pop("published", False)
    idea = Idea(
        council=council,
        title=values.pop("title", f"Idea {n}"),
        need=values.pop("need", "Residents wait too long"),
        raised_by=values.pop("raised_by", "officer"),
        cost_band=values.pop("cost_band", "10k-50k"),
        published_at=utcnow() if published else None,
        **values,
    )
    db.session.add(idea)
    db.session.commit()
    return idea


def create_round(council: Council, status: str = "draft", **values: Any) -> Any:
    """A round of the council over two new ideas, one criterion and a panel of two panel
    members; past `draft` its configuration is frozen, and once closed each has scored."""
    from app.choosing.config import config_hash, frozen_config
    from app.choosing.models import Panelist, Round, RoundCriterion, RoundIdea, Score

    ideas = values.pop("ideas", None) or [
        create_idea(council, published=status != "draft") for _ in range(2)
    ]
    panel = values.pop("panel", None) or [create_user("panel-member", council) for _ in range(2)]
    round_ = Round(council=council, title=values.pop("title", "Round"), status=status, **values)
    round_.idea_links = [RoundIdea(idea=idea, position=n) for n, idea in enumerate(ideas)]
    round_.criteria = [
        RoundCriterion(
            position=0, name="Need", weight=Decimal(1), direction="higher",
            definitions=["None", "Some", "Clear", "Strong", "Urgent"],
        )
    ]  # fmt: skip
    round_.panel = [
        Panelist(user=user, pseudonym=f"Scorer {chr(65 + n)}") for n, user in enumerate(panel)
    ]
    db.session.add(round_)
    db.session.flush()
    if status != "draft":
        round_.config = frozen_config(round_)
        round_.config_hash = config_hash(round_.config)
        round_.opened_at = utcnow()
    if status in ("closed", "rescoring", "decided"):
        round_.closed_at = utcnow()
        for n, user in enumerate(panel):
            for position, idea in enumerate(ideas):
                db.session.add(
                    Score(round_id=round_.id, scoring=1, user_id=user.id, idea_id=idea.id,
                          criterion_id=round_.criteria[0].id, value=1 + (n + position) % 5)
                )  # fmt: skip
    db.session.commit()
    return round_


def create_consultation(council: Council | None = None, **values: Any) -> Any:
    """A consultation (open unless told) with options `labels`; answers are added separately."""
    from datetime import timedelta

    from app.choosing.models.consultations import Consultation, ConsultationOption

    status = values.pop("status", "open")
    labels = values.pop("labels", ["Roads and transport", "Children's services", "Housing"])
    consultation = Consultation(
        council=council or create_council(),
        question=values.pop("question", "Which services should we improve first?"),
        answer_mode=values.pop("answer_mode", "pick"),
        max_choices=values.pop("max_choices", 1),
        closes_on=values.pop("closes_on", utcnow().date() + timedelta(days=14)),
        status=status,
        opened_at=values.pop("opened_at", None if status == "draft" else utcnow()),
        closed_at=values.pop("closed_at", utcnow() if status == "closed" else None),
        **values,
    )
    consultation.options = [
        ConsultationOption(label=label, position=n) for n, label in enumerate(labels, start=1)
    ]
    db.session.add(consultation)
    db.session.commit()
    return consultation
