"""An appraisal's figures, as stored with it when it is saved (pages read them, never recompute).

Money leaves here as integer pence and ratios and probabilities as plain floats: the JSON holds no
numpy values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.appraisal.discounting import discount_factors
from app.appraisal.models import Appraisal, AppraisalOption
from app.appraisal.process import inclusion_flag, stage_summary, step_terms
from app.appraisal.reference import Reference
from app.appraisal.simulation import (
    ITERATIONS,
    probability_beats,
    simulate,
    spread,
    tornado,
)
from app.appraisal.valuation import OptionValue, Term, benefit_terms, cost_terms, value_option

SHORTLIST = ("business-as-usual", "do-minimum", "preferred")


def reference_for(appraisal: Appraisal, reference: Reference) -> Reference:
    """The reference figures with the council's own optimism bias table, where it set one."""
    if not appraisal.optimism_bias:
        return reference
    table = {int(grade): Decimal(percent) for grade, percent in appraisal.optimism_bias.items()}
    return reference.with_overrides(optimism_bias=table)


def option_terms(option: AppraisalOption, factors: list[float], reference: Reference) -> list[Term]:
    return [
        *cost_terms(option, factors, reference.optimism_bias),
        *benefit_terms(option, factors),
        *step_terms(option, factors),
    ]


def appraisal_results(appraisal: Appraisal, reference: Reference) -> dict[str, Any]:
    """Every option's deterministic figures, its simulated spread and tornado, the probability
    that the preferred option beats the do-minimum, and the flags the appraisal raises."""
    reference = reference_for(appraisal, reference)
    schedule = reference.schedule(appraisal.discount_edition)
    factors = discount_factors(schedule, appraisal.horizon_years)
    terms = [option_terms(option, factors, reference) for option in appraisal.options]
    iterations = appraisal.iterations or ITERATIONS
    draws = simulate(terms, appraisal.seed, iterations)
    options = []
    for row, (option, option_terms_) in enumerate(zip(appraisal.options, terms, strict=True)):
        value = value_option(option_terms_, reference.value_bands)
        simulated = spread(draws, row)
        options.append(
            {
                "kind": option.kind,
                "name": option.name,
                **_deterministic(value),
                "p_npsv_positive": simulated.p_positive,
                "npsv_mean_pence": _pence(simulated.npsv_mean),
                "npsv_pence": [_pence(x) for x in simulated.npsv],
                "bcr": None if simulated.bcr is None else [_ratio(x) for x in simulated.bcr],
                "tornado": [
                    {
                        "input": bar.label,
                        "side": bar.side,
                        "npsv_at_p5_pence": _pence(bar.npsv_at_low),
                        "npsv_at_p95_pence": _pence(bar.npsv_at_high),
                    }
                    for bar in tornado(option_terms_, value.npsv)
                ],
                "process": _process(appraisal, option, reference),
            }
        )
    kinds = [option.kind for option in appraisal.options]
    beats = None
    if "preferred" in kinds and "do-minimum" in kinds:
        beats = probability_beats(draws, kinds.index("preferred"), kinds.index("do-minimum"))
    return {
        "discount_edition": schedule.edition,
        "discount_factors": [round(f, 6) for f in factors],
        "optimism_bias": {str(g): str(p) for g, p in reference.optimism_bias.items()},
        "seed": appraisal.seed,
        "iterations": iterations,
        "options": options,
        "p_preferred_beats_do_minimum": beats,
        "flags": _flags(appraisal, options),
    }


def _deterministic(value: OptionValue) -> dict[str, Any]:
    switching = value.switching
    return {
        "pv_costs_pence": _pence(value.pv_costs),
        "pv_benefits_pence": _pence(value.pv_benefits),
        "npsv_likely_pence": _pence(value.npsv),
        "bcr_likely": None if value.bcr is None else _ratio(value.bcr),
        "value_for_money": value.band.category if value.band else None,
        "switching": None
        if switching is None
        else {
            "input": switching.label,
            "side": switching.side,
            "likely_pence": _pence(switching.likely),
            "switching_value_pence": _pence(switching.switching_value),
            "change_percent": round(switching.change_percent, 2),
        },
    }


def _process(
    appraisal: Appraisal, option: AppraisalOption, reference: Reference
) -> dict[str, Any] | None:
    if not option.steps:
        return None
    before = stage_summary(option.steps, "as-is", reference.channels)
    after = stage_summary(option.steps, "to-be", reference.channels)
    return {
        stage: {
            "contacts": summary.contacts,
            "cost_pence": summary.cost_pence,
            "staff_hours": round(summary.staff_hours, 1),
            "by_channel": summary.by_channel,
            "offline_percent": None
            if summary.offline_share is None
            else round(summary.offline_share, 1),
        }
        for stage, summary in (("as-is", before), ("to-be", after))
    } | {
        "yearly_saving_pence": before.cost_pence - after.cost_pence,
        "inclusion_flag": inclusion_flag(before, after, appraisal.offline_floor_percent),
    }


def _flags(appraisal: Appraisal, options: list[dict[str, Any]]) -> list[str]:
    kinds = {option.kind for option in appraisal.options}
    flags = []
    missing = [kind for kind in SHORTLIST if kind not in kinds]
    if missing or len(appraisal.options) < 4:
        flags.append(
            "The Green Book's shortlist has at least business as usual, a do-minimum, the "
            "preferred option and one more"
        )
    for option in options:
        if option["process"] and option["process"]["inclusion_flag"]:
            flags.append(f"{option['name']}: {option['process']['inclusion_flag']}")
    return flags


def _pence(value: float) -> int:
    return round(value)


def _ratio(value: float) -> float:
    return round(value, 4)
