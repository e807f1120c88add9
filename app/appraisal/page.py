"""What the appraisal page and the pilot page's section show, gathered from storage: the stored
results as tables and charts, the reference figures the appraisal used with their sources, and
who may change it. One query for the appraisal with its rows; nothing is recomputed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.appraisal.amending import CLOSED, needs_reason
from app.appraisal.charts import RangeChart, range_chart
from app.appraisal.figures import (
    AppraisalSummary,
    appraisal_summary,
    process_table,
    simulation_table,
    summary_table,
    tornado_table,
    whole_pounds,
)
from app.appraisal.models import Appraisal
from app.appraisal.outturn import pilot_outturn
from app.appraisal.reference import DiscountSchedule, Reference
from app.appraisal.results import reference_for
from app.appraisal.service import appraisal_of, registry_reference
from app.auth import service as auth_service
from app.auth.models import User
from app.common.figures.tables import Table
from app.pilots.models import Pilot


@dataclass
class OptionFigures:
    option: dict[str, Any]
    tornado: Table
    tornado_chart: RangeChart
    process: Table | None


@dataclass
class AppraisalPage:
    pilot: Pilot
    appraisal: Appraisal | None
    reference: Reference
    can_edit: bool
    needs_reason: bool
    schedule: DiscountSchedule | None = None
    summary: Table | None = None
    simulation: Table | None = None
    simulation_chart: RangeChart | None = None
    options: list[OptionFigures] = field(default_factory=list)

    @property
    def tables(self) -> dict[str, Table]:
        """Every table on the page by its key (for its CSV download)."""
        found = [self.summary, self.simulation]
        for option in self.options:
            found += [option.tornado, option.process]
        return {table.key: table for table in found if table is not None}


def may_write(user: User | None, pilot: Pilot) -> bool:
    """Editors of the lead council (and admins) write a pilot's appraisal, until it is closed."""
    return pilot.status not in CLOSED and auth_service.can_edit_for_council(
        user, pilot.lead_council_id
    )


def appraisal_page(pilot: Pilot, user: User | None) -> AppraisalPage:
    """The pilot's appraisal as its page shows it (or what to say when it has none)."""
    appraisal = appraisal_of(pilot)
    figures = registry_reference()
    page = AppraisalPage(
        pilot=pilot,
        appraisal=appraisal,
        reference=figures,
        can_edit=may_write(user, pilot),
        needs_reason=needs_reason(pilot),
    )
    if appraisal is None or not appraisal.results:
        return page
    results = appraisal.results
    page.reference = reference_for(appraisal, figures)
    page.schedule = page.reference.schedules.get(appraisal.discount_edition)
    page.summary = summary_table(results, figures.value_bands)
    page.simulation = simulation_table(results)
    page.simulation_chart = range_chart(
        page.simulation,
        "option",
        "npsv_p5",
        "npsv_p95",
        "NPSV from P5 to P95 by option, P50 marked",
        marker_key="npsv_p50",
    )
    for number, option in enumerate(results.get("options", [])):
        tornado = tornado_table(option, number)
        page.options.append(
            OptionFigures(
                option=option,
                tornado=tornado,
                tornado_chart=range_chart(
                    tornado,
                    "input",
                    "npsv_at_p5",
                    "npsv_at_p95",
                    f"What moves the NPSV of {option['name']}",
                    reference=whole_pounds(option["npsv_likely_pence"]),
                    reference_text="most likely NPSV",
                ),
                process=process_table(option, number),
            )
        )
    return page


def pilot_section(pilot: Pilot) -> dict[str, AppraisalSummary] | None:
    """The pilot page's section: the preferred option's stored figures, or None without an
    appraisal."""
    appraisal = appraisal_of(pilot)
    bands = registry_reference().value_bands
    summary = appraisal_summary(appraisal, bands) if appraisal else None
    if summary is None:
        return None
    return {"appraisal_summary": summary}


def results_section(pilot: Pilot) -> dict[str, Any] | None:
    """The results page's forecast against outturn, or None without an appraisal."""
    found = pilot_outturn(pilot)
    if found is None:
        return None
    return {"outturn": found, "can_record": may_write(auth_service.current_user(), pilot)}
