"""Residents' priorities as a round's evidence: closed consultations of the round's council,
attached when the round is set up and frozen with its configuration.

Only a closed consultation may be attached, because only a closed one has published counts: an
open one's counts are hidden from everyone, and a round must not become a way round that. The
frozen configuration records each consultation's number of answers, so its hash changes if the
evidence does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.choosing.consultation_results import ConsultationResults, consultation_results
from app.choosing.errors import ChoosingError
from app.choosing.models import Round, RoundConsultation
from app.choosing.models.consultations import Consultation
from app.councils.models import Council
from app.extensions import db


@dataclass(frozen=True)
class Evidence:
    consultation: Consultation
    results: ConsultationResults


def closed_consultations(council: Council) -> list[Consultation]:
    """The council's closed consultations, newest closed first: those a round may cite."""
    query = (
        select(Consultation)
        .where(Consultation.council_id == council.id, Consultation.status == "closed")
        .order_by(Consultation.closed_at.desc(), Consultation.id.desc())
    )
    return list(db.session.scalars(query))


def evidence_of(council: Council, consultation_ids: list[int]) -> list[Consultation]:
    """The consultations named, each a closed one of the council; raises ChoosingError if not."""
    wanted = list(dict.fromkeys(consultation_ids))
    if not wanted:
        return []
    found = {
        c.id: c for c in db.session.scalars(select(Consultation).where(Consultation.id.in_(wanted)))
    }
    if any(found.get(i) is None or found[i].council_id != council.id for i in wanted):
        raise ChoosingError(
            {"consultation_ids": "Choose consultations of this council from the list"}
        )
    still_open = [found[i].question for i in wanted if found[i].status != "closed"]
    if still_open:
        raise ChoosingError(
            {"consultation_ids": "Only a closed consultation's results can be evidence; not yet "
             f"closed: {'; '.join(still_open)}"}
        )  # fmt: skip
    return [found[i] for i in wanted]


def attach_evidence(round_: Round, consultations: list[Consultation]) -> None:
    round_.evidence_links = [
        RoundConsultation(consultation=c, position=n) for n, c in enumerate(consultations)
    ]


def frozen_evidence(round_: Round) -> list[dict[str, Any]]:
    """The evidence as the frozen configuration records it."""
    return [
        {"consultation": c.id, "question": c.question, "answers": consultation_results(c).answers}
        for c in round_.evidence
    ]


def round_evidence(round_: Round) -> list[Evidence]:
    """Each attached consultation with its published counts, for the round and scoring pages."""
    return [Evidence(c, consultation_results(c)) for c in round_.evidence]
