"""The deterministic figures of one option: present values, NPSV, BCR, value for money and the
switching value of its largest input.

Every uncertain input of an option becomes a `Term`: a yearly figure with its low, likely and
high, and the weight that turns one unit of it into present value (the discount factors of the
years it falls in, times optimism bias for a cost or additionality for a benefit). Present values
are then sums of weight × value, which is what lets the simulation value 10,000 futures as one
matrix product, and makes the switching value exact (NPSV is linear in each input).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.appraisal.discounting import value_for_money
from app.appraisal.models import AppraisalOption, BenefitLine, CostLine
from app.appraisal.reference import ValueBand


@dataclass(frozen=True)
class Term:
    identity: str  # the same input in two options has the same identity (common random numbers)
    label: str
    side: str  # "cost" or "benefit"
    low: float
    likely: float
    high: float
    weight: float  # present value of one unit of the yearly figure

    @property
    def signed_weight(self) -> float:
        """The term's effect on NPSV per unit: costs count against it."""
        return -self.weight if self.side == "cost" else self.weight


def identity_of(kind: str, name: str) -> str:
    return f"{kind}:{' '.join(name.split()).casefold()}"


def discounted_years(years: Iterable[int], factors: Sequence[float]) -> float:
    return sum(factors[year] for year in years)


def cost_terms(
    option: AppraisalOption, factors: Sequence[float], optimism_bias: Mapping[int, Decimal]
) -> list[Term]:
    """Each cost line, uplifted for optimism bias by the confidence grade of its figure."""
    return [_cost_term(line, factors, optimism_bias) for line in option.costs]


def _cost_term(
    line: CostLine, factors: Sequence[float], optimism_bias: Mapping[int, Decimal]
) -> Term:
    uplift = 1 + float(optimism_bias[line.confidence_grade]) / 100
    return Term(
        identity_of("cost", line.name),
        line.name,
        "cost",
        line.low_pence,
        line.likely_pence,
        line.high_pence,
        uplift * discounted_years(line.years, factors),
    )


def additionality(line: BenefitLine) -> float:
    """The share of a gross benefit that is additional: (1 − deadweight) × (1 − displacement)
    × (1 − leakage) × (1 − substitution)."""
    share = 1.0
    for percent in (
        line.deadweight_percent,
        line.displacement_percent,
        line.leakage_percent,
        line.substitution_percent,
    ):
        share *= 1 - float(percent or 0) / 100
    return share


def benefit_terms(option: AppraisalOption, factors: Sequence[float]) -> list[Term]:
    """Each benefit line, net of additionality."""
    return [
        Term(
            identity_of("benefit", line.name),
            line.name,
            "benefit",
            line.low_pence,
            line.likely_pence,
            line.high_pence,
            additionality(line) * discounted_years(line.years, factors),
        )
        for line in option.benefits
    ]


@dataclass(frozen=True)
class SwitchingValue:
    label: str
    side: str
    likely: float
    switching_value: float  # the yearly figure at which NPSV is zero
    change_percent: float  # how far that is from the likely figure


@dataclass(frozen=True)
class OptionValue:
    pv_costs: float
    pv_benefits: float
    npsv: float
    bcr: float | None
    band: ValueBand | None
    switching: SwitchingValue | None


def value_option(terms: Sequence[Term], bands: Sequence[ValueBand]) -> OptionValue:
    """The option's figures with every input at its likely value."""
    pv_costs = sum(t.weight * t.likely for t in terms if t.side == "cost")
    pv_benefits = sum(t.weight * t.likely for t in terms if t.side == "benefit")
    npsv = pv_benefits - pv_costs
    bcr = benefit_cost_ratio(pv_benefits, pv_costs)
    return OptionValue(
        pv_costs, pv_benefits, npsv, bcr, value_for_money(bcr, bands), switching(terms, npsv)
    )


def benefit_cost_ratio(pv_benefits: float, pv_costs: float) -> float | None:
    return pv_benefits / pv_costs if pv_costs > 0 else None


def switching(terms: Sequence[Term], npsv: float) -> SwitchingValue | None:
    """For the input with the largest present value: the yearly figure at which NPSV would be
    zero, all else at likely. NPSV is linear in it, so this is exact: x = likely − NPSV / w."""
    weighted = [t for t in terms if t.weight and t.likely]
    if not weighted:
        return None
    largest = max(weighted, key=lambda t: abs(t.weight * t.likely))
    value = largest.likely - npsv / largest.signed_weight
    change = (value - largest.likely) / largest.likely * 100
    return SwitchingValue(largest.label, largest.side, largest.likely, value, change)
