"""Counts into marks: where each council's circle goes, how big, and in which colour.

A mark's area grows with the number of pilots (its radius with the square root), so a council
with four pilots looks twice as wide as one with one, not four times; the largest are drawn
first so that a small neighbour stays on top and can be clicked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from app.maps.outline import border_path, land_path
from app.maps.projection import Projection
from app.maps.service import CouncilCount, PlacedPilot

# GOV.UK Frontend's palette; every mark also has a dark edge, so even the light ones stand 3:1
# against the land (WCAG 1.4.11).
COLOURS = {
    "proved": "#00703c",
    "disproved": "#d4351c",
    "inconclusive": "#ffdd00",
    "mixed": "#4c2c92",
    "none": "#1d70b8",
    "partner": "#1d70b8",
    "itself": "#0b0c0c",
}
LAND = "#f3f2f1"
EDGE = "#0b0c0c"
SMALLEST, LARGEST = 3.0, 16.0  # radius in units of a 360-wide map


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    r: float
    colour: str
    council: CouncilCount


@dataclass(frozen=True)
class Pin:
    x: float
    y: float
    pilot: PlacedPilot


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    land: str
    borders: str
    marks: list[Mark]
    pins: list[Pin]
    land_colour: str = LAND
    edge_colour: str = EDGE


def radius(pilots: int, width: float) -> float:
    scale = width / 360
    return round(min(LARGEST, SMALLEST + 2.5 * math.sqrt(max(pilots, 1))) * scale, 1)


def draw(
    councils: Iterable[CouncilCount],
    pilots: Iterable[PlacedPilot] = (),
    width: float = 360,
    colour_of: str | None = None,
) -> Drawing:
    """The map of these councils (those with a position) and pilots; `colour_of` paints every
    mark one way ("partner"), else each council is coloured by its outcome."""
    projection = Projection(width)
    marks = []
    for council in councils:
        if council.latitude is None or council.longitude is None:
            continue
        lon, lat = float(council.longitude), float(council.latitude)
        if not projection.contains(lon, lat):
            continue
        x, y = projection.point(lon, lat)
        colour = COLOURS[colour_of or council.outcome]
        marks.append(Mark(x, y, radius(council.total, width), colour, council))
    marks.sort(key=lambda m: -m.r)
    pins = [
        Pin(*projection.point(float(p.longitude), float(p.latitude)), p)
        for p in pilots
        if projection.contains(float(p.longitude), float(p.latitude))
    ]
    return Drawing(width, projection.height, land_path(width), border_path(width), marks, pins)
