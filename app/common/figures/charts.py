"""Horizontal bar charts drawn on the server as SVG, from the same Table as the GOV.UK table
beside them. Every bar carries its figure as text, and a second series differs by pattern as
well as colour, so nothing is told by colour alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.common.figures.tables import Column, Table, cell_text

# Sized to sit unscaled in half of the GOV.UK page width, so its text stays legible.
LABEL_WIDTH = 175
BAR_AREA = 145
VALUE_WIDTH = 170
BAR_HEIGHT = 20
BAR_GAP = 4
GROUP_GAP = 14
TOP = 34  # room for the legend
SERIES_STYLES = (("#1d70b8", False), ("#0b0c0c", True))  # (fill, hatched)


@dataclass
class ChartBar:
    series: str
    value: int
    text: str
    y: float
    width: float
    fill: str
    hatched: bool


@dataclass
class ChartRow:
    label: str
    label_y: float
    bars: list[ChartBar]


@dataclass
class LegendItem:
    label: str
    fill: str
    hatched: bool
    x: int


@dataclass
class BarChart:
    key: str
    title: str
    description: str
    rows: list[ChartRow] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH

    @property
    def pattern_id(self) -> str:
        return f"chart-{self.key}-hatch"

    @property
    def multi_series(self) -> bool:
        return len(self.legend) > 1


def bar_chart(table: Table, label_key: str, value_keys: list[str], title: str) -> BarChart:
    """A bar per row and value column; bar lengths share one scale across the chart."""
    columns = {c.key: c for c in table.columns}
    series: list[Column] = [columns[k] for k in value_keys]
    labels = [cell_text(columns[label_key], v) for v in table.column_values(label_key)]
    values = [[v or 0 for v in table.column_values(k)] for k in value_keys]
    largest = max((v for column in values for v in column), default=0) or 1
    chart = BarChart(key=table.key, title=title, description="")
    chart.legend = [
        LegendItem(column.heading, fill, hatched, LABEL_WIDTH + i * 150)
        for i, (column, (fill, hatched)) in enumerate(zip(series, SERIES_STYLES, strict=False))
    ]
    y = float(TOP)
    described = []
    for index, label in enumerate(labels):
        group_top = y
        bars = []
        for s, column in enumerate(series):
            raw = table.rows[index][[c.key for c in table.columns].index(column.key)]
            text = cell_text(column, raw)
            if len(series) > 1:
                text = f"{column.heading}: {text}"
            fill, hatched = SERIES_STYLES[s % len(SERIES_STYLES)]
            bars.append(
                ChartBar(
                    series=column.heading,
                    value=int(values[s][index]),
                    text=text,
                    y=y,
                    width=round(BAR_AREA * values[s][index] / largest, 1),
                    fill=fill,
                    hatched=hatched,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        label_y = group_top + (y - BAR_GAP - group_top) / 2 + 5
        chart.rows.append(ChartRow(label=label, label_y=label_y, bars=bars))
        described.append(f"{label}: " + ", ".join(b.text for b in bars))
        y += GROUP_GAP
    chart.height = int(y)
    chart.description = (
        f"Bar chart of {title[0].lower()}{title[1:]}. " + "; ".join(described) + "."
        if described
        else "There are no figures to show."
    )
    return chart
