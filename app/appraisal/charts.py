"""Range charts drawn on the server as SVG, from the same `Table` as the GOV.UK table beside
them: a bar from one column's figure to another's on a shared axis that always shows zero, with
an optional marker (a P50) and an optional reference line (the tornado's most likely NPSV).

One shape serves both the simulation's P5–P95 of NPSV by option and the tornado (NPSV with each
input at its P5 and its P95). Every figure is written beside its bar, so nothing is told by
position or colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.common.figures.tables import Table, cell_text

LABEL_WIDTH = 250
PLOT_WIDTH = 380
VALUE_WIDTH = 10
ROW_HEIGHT = 44
TOP = 30
BAR_FILL = "#1d70b8"


@dataclass
class RangeRow:
    label: str
    y: float
    x1: float
    x2: float
    marker_x: float | None
    text: str


@dataclass
class RangeChart:
    key: str
    title: str
    description: str
    rows: list[RangeRow] = field(default_factory=list)
    zero_x: float = 0.0
    reference_x: float | None = None
    reference_text: str = ""
    width: int = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH


def range_chart(
    table: Table,
    label_key: str,
    low_key: str,
    high_key: str,
    title: str,
    marker_key: str | None = None,
    reference: int | None = None,
    reference_text: str = "",
) -> RangeChart:
    """A bar per row from its `low_key` figure to its `high_key` one (either may be the larger),
    a marker at `marker_key`'s, and a line at `reference`; one scale across the chart."""
    columns = {c.key: c for c in table.columns}
    low_column, high_column = columns[low_key], columns[high_key]
    lows = [v or 0 for v in table.column_values(low_key)]
    highs = [v or 0 for v in table.column_values(high_key)]
    markers = table.column_values(marker_key) if marker_key else [None] * len(lows)
    everything = [0, *lows, *highs, *([reference] if reference is not None else [])]
    least, most = min(everything), max(everything)
    span = (most - least) or 1

    def x(value: float) -> float:
        return round(LABEL_WIDTH + 10 + (PLOT_WIDTH - 20) * (value - least) / span, 1)

    chart = RangeChart(key=table.key, title=title, description="", zero_x=x(0))
    if reference is not None:
        chart.reference_x = x(reference)
        chart.reference_text = reference_text
    described = []
    y = float(TOP)
    for index, label in enumerate(table.column_values(label_key)):
        low, high, marker = lows[index], highs[index], markers[index]
        text = f"{cell_text(low_column, low)} to {cell_text(high_column, high)}"
        if marker_key and marker is not None:
            text += f", {columns[marker_key].heading} {cell_text(columns[marker_key], marker)}"
        chart.rows.append(
            RangeRow(
                label=shortened(str(label)),
                y=y,
                x1=min(x(low), x(high)),
                x2=max(x(low), x(high)),
                marker_x=None if marker is None else x(marker),
                text=text,
            )
        )
        described.append(f"{label}: {text}")
        y += ROW_HEIGHT
    chart.height = int(y) + 4
    chart.description = (
        f"Range chart of {title[0].lower()}{title[1:]}. " + "; ".join(described) + "."
        if described
        else "There are no figures to show."
    )
    return chart


def shortened(text: str, limit: int = 28) -> str:
    """A label short enough for the chart's label column (the table beside it has it whole)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
