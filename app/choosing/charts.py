"""The round's result as a server-drawn SVG: for each idea, a bar to its weighted score (out of
5) and a line across the middle half of the scorers' weighted totals (Q1 to Q3), so the spread
is seen beside the score. The table beside it gives the same figures, from the same result."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.choosing.consensus import RoundResult

LABEL_WIDTH = 190
SCALE_WIDTH = 200  # 0 to 5
VALUE_WIDTH = 150
ROW_HEIGHT = 34
TOP = 30
HIGHEST = 5


@dataclass(frozen=True)
class ScoreBar:
    label: str
    text: str
    y: int
    width: float
    spread_from: float
    spread_to: float


@dataclass
class ScoreChart:
    key: str
    title: str
    description: str
    bars: list[ScoreBar] = field(default_factory=list)
    label_width: int = LABEL_WIDTH
    width: int = LABEL_WIDTH + SCALE_WIDTH + VALUE_WIDTH
    height: int = 0
    ticks: list[tuple[float, int]] = field(default_factory=list)  # (x, score)


def _x(score: float) -> float:
    return round(LABEL_WIDTH + SCALE_WIDTH * score / HIGHEST, 1)


def score_chart(key: str, title: str, result: RoundResult, titles: dict[int, str]) -> ScoreChart:
    """One bar per idea, best first, from the same `result` as the table beside it."""
    chart = ScoreChart(key=key, title=title, description="")
    chart.ticks = [(_x(n), n) for n in range(HIGHEST + 1)]
    described = []
    for index, idea in enumerate(result.ideas):
        label = titles.get(idea.idea, str(idea.idea))  # type: ignore[call-overload]
        short = label if len(label) <= 26 else label[:25] + "…"
        text = f"{idea.weighted_score:.2f} (IQR {idea.spread:.2f})"
        chart.bars.append(
            ScoreBar(
                label=short,
                text=text,
                y=TOP + index * ROW_HEIGHT,
                width=_x(idea.weighted_score) - LABEL_WIDTH,
                spread_from=_x(idea.quartiles[0]),
                spread_to=_x(idea.quartiles[2]),
            )
        )
        described.append(f"{label}: {idea.weighted_score:.2f}, IQR {idea.spread:.2f}")
    chart.height = TOP + len(result.ideas) * ROW_HEIGHT + 10
    chart.description = (
        "Bar chart of each idea's weighted score out of 5, with a line across the middle half "
        "of the scorers' totals. " + "; ".join(described) + "."
    )
    return chart
