"""The process model: the service's steps as they are and as an option would make them.

Its benefit is the cost of the as-is steps less the cost of the to-be steps, each step's yearly
volume times its cost per contact, in each of the option's process years. Channel shift is in the
volumes: fewer contacts face to face and more on the web. The uncertain input is each step's
volume (low, likely, high); its cost per contact is the council's figure or the reference's.

Inclusion: a shift online must not assume everyone goes online. Where the to-be process leaves
a smaller share of contacts on the channels residents without the internet use than the floor the
council stated, the appraisal is flagged; where a shift online is modelled with no floor stated,
that is flagged too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.appraisal.models import AppraisalOption, ProcessStep
from app.appraisal.reference import ChannelCost
from app.appraisal.valuation import Term, discounted_years, identity_of


def step_terms(option: AppraisalOption, factors: Sequence[float]) -> list[Term]:
    """Each step's yearly volume as a benefit term: as-is steps add their cost (the cost no
    longer incurred), to-be steps take theirs away."""
    years = discounted_years(option.process_years or [], factors)
    return [
        Term(
            identity_of(f"step:{step.stage}:{step.channel}", step.name),
            f"{step.name} ({step.stage}, {step.channel})",
            "benefit",
            step.volume_low,
            step.volume_likely,
            step.volume_high,
            (1 if step.stage == "as-is" else -1) * step.cost_per_contact_pence * years,
        )
        for step in option.steps
    ]


@dataclass(frozen=True)
class StageSummary:
    contacts: int  # likely yearly volume
    cost_pence: int  # likely yearly cost
    staff_hours: float
    by_channel: dict[str, int]
    offline_share: float | None  # per cent of contacts on offline channels; None: no contacts


def stage_summary(
    steps: Sequence[ProcessStep], stage: str, channels: Mapping[str, ChannelCost]
) -> StageSummary:
    """The likely yearly contacts, cost, staff hours and channel mix of one stage."""
    chosen = [s for s in steps if s.stage == stage]
    by_channel: dict[str, int] = {}
    for step in chosen:
        by_channel[step.channel] = by_channel.get(step.channel, 0) + step.volume_likely
    contacts = sum(by_channel.values())
    offline = sum(v for c, v in by_channel.items() if channels[c].offline)
    return StageSummary(
        contacts=contacts,
        cost_pence=sum(s.volume_likely * s.cost_per_contact_pence for s in chosen),
        staff_hours=sum(s.volume_likely * float(s.staff_minutes or 0) for s in chosen) / 60,
        by_channel=dict(sorted(by_channel.items())),
        offline_share=offline / contacts * 100 if contacts else None,
    )


def inclusion_flag(
    before: StageSummary, after: StageSummary, floor_percent: Decimal | None
) -> str | None:
    """Why the channel shift needs a second look, or None when it keeps an offline route."""
    if before.offline_share is None or after.offline_share is None:
        return None
    shifted_online = after.offline_share < before.offline_share
    if floor_percent is None:
        if shifted_online:
            return (
                f"Contacts on offline channels fall from {before.offline_share:.0f}% to "
                f"{after.offline_share:.0f}%, and no floor for offline contacts is stated"
            )
        return None
    if shifted_online and after.offline_share < float(floor_percent):
        return (
            f"Contacts on offline channels fall to {after.offline_share:.0f}%, below the "
            f"floor of {float(floor_percent):.0f}% the council stated"
        )
    return None
