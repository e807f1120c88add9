"""The reference figures an appraisal starts from, read from content/appraisal/reference.toml.

They are the registry's own data, each with its source beside it, so that a new Green Book
edition or a better benchmark is a change to that file, not to the code. A council may replace
the optimism bias table, the additionality defaults or the channel costs for its appraisal
(`Reference.with_overrides`); the discount schedule is chosen by edition, never edited.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
GRADES = (1, 2, 3, 4, 5)
ADDITIONALITY = ("deadweight", "displacement", "leakage", "substitution")


@dataclass(frozen=True)
class RateBand:
    first_year: int
    last_year: int | None  # None: every year after first_year
    rate: Decimal


@dataclass(frozen=True)
class DiscountSchedule:
    edition: str
    name: str
    source: str
    bands: tuple[RateBand, ...]

    def rate_for(self, year: int) -> Decimal:
        """The rate that discounts year `year` back to year `year - 1`."""
        for band in self.bands:
            if band.first_year <= year and (band.last_year is None or year <= band.last_year):
                return band.rate
        raise ValueError(f"the {self.edition} schedule has no rate for year {year}")


@dataclass(frozen=True)
class ValueBand:
    category: str
    label: str
    lower: Decimal | None  # the band starts here (inclusive); None: no lower bound


@dataclass(frozen=True)
class ChannelCost:
    channel: str
    label: str
    offline: bool  # used by residents without the internet
    low: int | None  # pence; None where there is no benchmark
    typical: int | None
    high: int | None
    figures: str


@dataclass(frozen=True)
class Reference:
    schedules: Mapping[str, DiscountSchedule]
    default_edition: str
    optimism_bias: Mapping[int, Decimal]  # confidence grade → uplift, per cent
    optimism_bias_source: str
    optimism_bias_bounds: tuple[Mapping[str, Any], ...]
    value_bands: tuple[ValueBand, ...]
    value_for_money_source: str
    additionality: Mapping[str, Decimal]  # per cent
    additionality_source: str
    channels: Mapping[str, ChannelCost]
    channel_warning: str
    channel_source: str
    inclusion_note: str
    inclusion_source: str
    overridden: tuple[str, ...] = field(default=())

    def schedule(self, edition: str | None = None) -> DiscountSchedule:
        """The discount schedule of that edition (the default one when None)."""
        try:
            return self.schedules[edition or self.default_edition]
        except KeyError:
            raise ValueError(f"no discount schedule of edition {edition!r}") from None

    def with_overrides(
        self,
        optimism_bias: Mapping[int, Decimal] | None = None,
        additionality: Mapping[str, Decimal] | None = None,
        channel_costs: Mapping[str, tuple[int, int, int]] | None = None,
        source: str = "",
    ) -> Reference:
        """These figures, with a council's own in place of the defaults it replaces.

        `channel_costs` maps a channel to its (low, typical, high) pence; `source` is the
        council's reason, which replaces the source of each table it overrides."""
        changes: dict[str, Any] = {}
        overridden = list(self.overridden)
        if optimism_bias is not None:
            if set(optimism_bias) != set(GRADES):
                raise ValueError("an optimism bias table gives an uplift for each grade 1 to 5")
            changes["optimism_bias"] = {g: Decimal(optimism_bias[g]) for g in GRADES}
            changes["optimism_bias_source"] = source or "The council's own table"
            overridden.append("optimism_bias")
        if additionality is not None:
            changes["additionality"] = {**self.additionality, **additionality}
            changes["additionality_source"] = source or "The council's own defaults"
            overridden.append("additionality")
        if channel_costs is not None:
            channels = dict(self.channels)
            for name, (low, typical, high) in channel_costs.items():
                channels[name] = dataclasses.replace(
                    self.channels[name],
                    low=low,
                    typical=typical,
                    high=high,
                    figures=source or "The council's own figures",
                )
            changes["channels"] = channels
            overridden.append("channel_costs")
        return dataclasses.replace(self, **changes, overridden=tuple(overridden))


def reference(content_dir: Path | str | None = None) -> Reference:
    """The reference figures shipped in `content_dir` (the project's content/ by default)."""
    return _load(Path(content_dir or DEFAULT_CONTENT_DIR) / "appraisal" / "reference.toml")


@functools.cache
def _load(path: Path) -> Reference:
    with path.open("rb") as file:
        data = tomllib.load(file)
    schedules = {s["edition"]: _schedule(s) for s in data["discount_schedules"]}
    default = next(s["edition"] for s in data["discount_schedules"] if s.get("default"))
    channels = data["channel_costs"]
    return Reference(
        schedules=schedules,
        default_edition=default,
        optimism_bias={int(g): Decimal(v) for g, v in data["optimism_bias"]["grades"].items()},
        optimism_bias_source=data["optimism_bias"]["source"],
        optimism_bias_bounds=tuple(data["optimism_bias_bounds"]),
        value_bands=tuple(
            ValueBand(b["category"], b["label"], Decimal(b["from"]) if "from" in b else None)
            for b in data["value_for_money"]["bands"]
        ),
        value_for_money_source=data["value_for_money"]["source"],
        additionality={k: Decimal(v) for k, v in data["additionality"]["defaults"].items()},
        additionality_source=data["additionality"]["source"],
        channels={
            name: ChannelCost(
                name,
                c["label"],
                c["offline"],
                c.get("low"),
                c.get("typical"),
                c.get("high"),
                c["figures"],
            )
            for name, c in channels["channels"].items()
        },
        channel_warning=channels["warning"],
        channel_source=channels["source"],
        inclusion_note=data["inclusion"]["note"],
        inclusion_source=data["inclusion"]["source"],
    )


def _schedule(data: Mapping[str, Any]) -> DiscountSchedule:
    return DiscountSchedule(
        edition=data["edition"],
        name=data["name"],
        source=data["source"],
        bands=tuple(
            RateBand(b["first_year"], b.get("last_year"), Decimal(b["rate"])) for b in data["bands"]
        ),
    )
