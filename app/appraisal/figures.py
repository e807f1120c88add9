"""The appraisal page's figures, as `Table`s built from the results stored with the appraisal.

Each table feeds the GOV.UK table, the SVG chart beside it and its CSV download (see
app.common.figures), so the page, the chart and the download cannot disagree. Nothing here
computes an appraisal: it reads `Appraisal.results`, which the save stored, so a page with an
appraisal costs no more than a few table rows.

Present values are shown to the whole pound: the simulation's pence are not that precise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.appraisal.models import Appraisal
from app.appraisal.reference import ValueBand
from app.common.figures.tables import Column, Table

KIND_LABELS = {
    "business-as-usual": "Business as usual",
    "do-minimum": "Do-minimum",
    "preferred": "Preferred",
    "alternative": "Alternative",
}


def whole_pounds(pence: int | float | None) -> int | None:
    return None if pence is None else round(pence / 100) * 100


def percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def option_label(option: dict[str, Any]) -> str:
    return f"{option['name']} ({KIND_LABELS.get(option['kind'], option['kind']).lower()})"


def value_for_money_label(category: str | None, bands: Sequence[ValueBand]) -> str:
    """The band's label as the reference names it ("Very high")."""
    return next((b.label for b in bands if b.category == category), category or "—")


def summary_table(results: dict[str, Any], bands: Sequence[ValueBand]) -> Table:
    """Each option at its most likely figures: present values, NPSV, BCR, value for money and
    the switching value of its largest input."""
    table = Table(
        key="options",
        caption="Each option at its most likely figures (discounted, optimism bias applied)",
        columns=[
            Column("option", "Option"),
            Column("pv_costs", "Present value of costs", "money"),
            Column("pv_benefits", "Present value of benefits", "money"),
            Column("npsv", "Net present social value", "money"),
            Column("bcr", "Benefit–cost ratio", "ratio"),
            Column("value_for_money", "Value for money"),
            Column("switching_input", "Largest input"),
            Column("switching_value", "NPSV is zero when it is (a year)", "money"),
            Column("switching_change", "Change needed (%)", "percent"),
        ],
    )
    for option in results.get("options", []):
        switching = option.get("switching") or {}
        table.rows.append(
            [
                option_label(option),
                whole_pounds(option["pv_costs_pence"]),
                whole_pounds(option["pv_benefits_pence"]),
                whole_pounds(option["npsv_likely_pence"]),
                option["bcr_likely"],
                value_for_money_label(option["value_for_money"], bands),
                switching.get("input"),
                whole_pounds(switching.get("switching_value_pence")),
                None if not switching else round(switching["change_percent"]),
            ]
        )
    return table


def simulation_table(results: dict[str, Any]) -> Table:
    """Each option over the simulated futures: P(NPSV > 0), NPSV and BCR at P5 / P50 / P95."""
    table = Table(
        key="simulation",
        caption=f"Each option over {results.get('iterations', 0):,} simulated futures",
        columns=[
            Column("option", "Option"),
            Column("p_npsv_positive", "Chance NPSV is above zero (%)", "percent"),
            Column("npsv_p5", "NPSV, P5", "money"),
            Column("npsv_p50", "NPSV, P50", "money"),
            Column("npsv_p95", "NPSV, P95", "money"),
            Column("bcr_p5", "BCR, P5", "ratio"),
            Column("bcr_p50", "BCR, P50", "ratio"),
            Column("bcr_p95", "BCR, P95", "ratio"),
        ],
    )
    for option in results.get("options", []):
        bcr = option.get("bcr") or [None, None, None]
        table.rows.append(
            [
                option_label(option),
                percent(option["p_npsv_positive"]),
                *(whole_pounds(x) for x in option["npsv_pence"]),
                *bcr,
            ]
        )
    return table


def tornado_table(option: dict[str, Any], number: int) -> Table:
    """The inputs that move the option's NPSV most, each at its P5 and P95 with all else at its
    most likely figure, widest swing first."""
    table = Table(
        key=f"tornado-{number}",
        caption=f"{option_label(option)}: the inputs that move NPSV most",
        columns=[
            Column("input", "Input"),
            Column("side", "Cost or benefit"),
            Column("npsv_at_p5", "NPSV with the input at its P5", "money"),
            Column("npsv_at_p95", "NPSV with the input at its P95", "money"),
        ],
        empty_message="No input is uncertain.",
    )
    for bar in option.get("tornado", []):
        table.rows.append(
            [
                bar["input"],
                bar["side"],
                whole_pounds(bar["npsv_at_p5_pence"]),
                whole_pounds(bar["npsv_at_p95_pence"]),
            ]
        )
    return table


def process_table(option: dict[str, Any], number: int) -> Table | None:
    """The process model's likely year as it is and as the option would make it."""
    process = option.get("process")
    if not process:
        return None
    table = Table(
        key=f"process-{number}",
        caption=f"{option_label(option)}: the service in a likely year",
        columns=[
            Column("stage", "Stage"),
            Column("contacts", "Contacts", "count"),
            Column("cost", "Cost", "money"),
            Column("staff_hours", "Staff hours", "count"),
            Column("offline", "Contacts on offline channels (%)", "percent"),
        ],
    )
    for stage, label in (("as-is", "As it is"), ("to-be", "As the option would make it")):
        figures = process[stage]
        table.rows.append(
            [
                label,
                figures["contacts"],
                figures["cost_pence"],
                round(figures["staff_hours"]),
                None if figures["offline_percent"] is None else round(figures["offline_percent"]),
            ]
        )
    return table


@dataclass(frozen=True)
class AppraisalSummary:
    """What the pilot page says of an appraisal: the preferred option's figures, from storage."""

    option: str
    npsv_pence: int | None
    bcr: float | None
    value_for_money: str
    p_npsv_positive: int | None
    npsv_p5_pence: int | None
    npsv_p95_pence: int | None
    p_beats_do_minimum: int | None
    flags: int


def appraisal_summary(appraisal: Appraisal, bands: Sequence[ValueBand]) -> AppraisalSummary | None:
    """The preferred option (or the first) of the stored results, or None when there are none."""
    results = appraisal.results or {}
    options = results.get("options") or []
    if not options:
        return None
    chosen = next((o for o in options if o["kind"] == "preferred"), options[0])
    npsv = chosen["npsv_pence"]
    return AppraisalSummary(
        option=option_label(chosen),
        npsv_pence=whole_pounds(chosen["npsv_likely_pence"]),
        bcr=chosen["bcr_likely"],
        value_for_money=value_for_money_label(chosen["value_for_money"], bands),
        p_npsv_positive=percent(chosen["p_npsv_positive"]),
        npsv_p5_pence=whole_pounds(npsv[0]),
        npsv_p95_pence=whole_pounds(npsv[2]),
        p_beats_do_minimum=percent(results.get("p_preferred_beats_do_minimum")),
        flags=len(results.get("flags") or []),
    )
