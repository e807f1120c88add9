"""A pilot's appraisal and the round that chose it, as the API's JSON (schemas_origin.py).

The appraisal's figures are the ones stored when it was saved, as the appraisal page shows
them: present values to the whole pound (the simulation's pence are not that precise), chances
as whole per cent. Its cost and benefit lines are sent as entered, to the penny. The round is
only ever a decided one (the decision is public), so no score or count that the choosing work
hides while a round or consultation is open can appear here."""

from __future__ import annotations

from typing import Any

from app.api.serialise import address, money, number, utc_time
from app.appraisal.figures import percent, whole_pounds
from app.appraisal.models import Appraisal, AppraisalOption, BenefitLine, CostLine
from app.choosing.models import Idea, Round
from app.common.web import absolute_url


def _range(line: CostLine | BenefitLine) -> dict[str, Any]:
    return {
        "name": line.name,
        "low": money(line.low_pence),
        "likely": money(line.likely_pence),
        "high": money(line.high_pence),
        "years": list(line.years or []),
        "confidence_grade": line.confidence_grade,
        "outturn": money(line.outturn_pence),
    }


def _cost(line: CostLine) -> dict[str, Any]:
    return {**_range(line), "recurrence": line.recurrence, "nature": line.nature}


def _benefit(line: BenefitLine) -> dict[str, Any]:
    return {
        **_range(line),
        "cashable": line.cashable,
        "category": line.category,
        "deadweight_percent": number(line.deadweight_percent),
        "displacement_percent": number(line.displacement_percent),
        "leakage_percent": number(line.leakage_percent),
        "substitution_percent": number(line.substitution_percent),
    }


def _pounds(pence: int | float | None) -> dict[str, Any] | None:
    return money(whole_pounds(pence))


def _figures(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """One option's stored results as the page's summary and simulation tables show them."""
    if stored is None:
        return None
    p5, p50, p95 = stored["npsv_pence"]
    bcr = stored.get("bcr") or [None, None, None]
    switching = stored.get("switching")
    return {
        "pv_costs": _pounds(stored["pv_costs_pence"]),
        "pv_benefits": _pounds(stored["pv_benefits_pence"]),
        "npsv": _pounds(stored["npsv_likely_pence"]),
        "bcr": stored["bcr_likely"],
        "value_for_money": stored["value_for_money"],
        "chance_npsv_positive_percent": percent(stored["p_npsv_positive"]),
        "npsv_p5": _pounds(p5),
        "npsv_p50": _pounds(p50),
        "npsv_p95": _pounds(p95),
        "bcr_p5": bcr[0],
        "bcr_p50": bcr[1],
        "bcr_p95": bcr[2],
        "switching": None
        if not switching
        else {
            "input": switching["input"],
            "switching_value": _pounds(switching["switching_value_pence"]),
            "change_percent": round(switching["change_percent"]),
        },
    }


def _option(option: AppraisalOption, stored: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "kind": option.kind,
        "name": option.name,
        "description": option.description,
        "kept": option.kept,
        "reason": option.reason,
        "costs": [_cost(line) for line in option.costs],
        "benefits": [_benefit(line) for line in option.benefits],
        "figures": _figures(stored),
    }


def appraisal(item: Appraisal | None, slug: str) -> dict[str, Any] | None:
    """The options with their lines and stored figures, and the simulation's summary."""
    if item is None:
        return None
    results = item.results or {}
    stored = results.get("options") or []
    return {
        "url": address("appraisal.show", slug=slug),
        "horizon_years": item.horizon_years,
        "price_year": item.price_year,
        "discount_edition": item.discount_edition,
        "iterations": item.iterations,
        "content_hash": item.content_hash,
        "updated_at": utc_time(item.updated_at),
        "options": [
            _option(option, stored[n] if n < len(stored) else None)
            for n, option in enumerate(item.options)
        ],
        "chance_preferred_beats_do_minimum_percent": percent(
            results.get("p_preferred_beats_do_minimum")
        ),
        "flags": list(results.get("flags") or []),
    }


def origin(found: dict[str, object] | None) -> dict[str, Any] | None:
    """The idea the pilot was chosen from and the decided round that chose it."""
    if found is None:
        return None
    idea, round_ = found["origin_idea"], found["origin_round"]
    assert isinstance(idea, Idea)
    body: dict[str, Any] = {
        "idea": {
            "id": idea.id,
            "title": idea.title,
            "url": absolute_url("choosing.idea", idea_id=idea.id),
        },
        "id": None,
        "title": None,
        "url": None,
        "status": None,
        "decision": None,
    }
    if isinstance(round_, Round):
        body.update(
            id=round_.id,
            title=round_.title,
            url=absolute_url("choosing.round_page", round_id=round_.id),
            status=round_.status,
            decision={
                "decided_at": utc_time(round_.decided_at),
                "chosen_idea_ids": list(round_.chosen_idea_ids or []),
                "departs_from_ranking": bool(round_.departure_reason),
                "departure_reason": round_.departure_reason,
                "meeting": round_.meeting,
                "minute_reference": round_.minute_reference,
            },
        )
    return body
