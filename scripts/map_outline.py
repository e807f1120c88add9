"""Make content/map/uk-outline.json from Natural Earth's 1:50m countries (public domain).

    python scripts/map_outline.py path/to/countries-50m.json > content/map/uk-outline.json

The input is `countries-50m.json` from the npm package world-atlas 2.0.2 (Natural Earth 4.1.0 as
TopoJSON). The United Kingdom (id 826) is decoded, each ring simplified (Douglas-Peucker, 0.02
degrees), islands smaller than a few square kilometres dropped and coordinates rounded to 0.01
degrees: a few kilobytes, which is all a 400-pixel map can show. Natural Earth has the UK as one
country, so the two land borders between its nations (England-Scotland, England-Wales) come from
BORDERS below: coarse lines through the places the borders pass, drawn for this map.
"""

from __future__ import annotations

import itertools
import json
import math
import sys

UK_ID = "826"
TOLERANCE = 0.02  # degrees; about 1.3 km east-west at 54.5 N
SMALLEST_RING = 0.004  # square degrees (about 25 km^2): Shetland's main islands stay
# Approximate, through the places each border passes (longitude, latitude).
BORDERS = {
    "England-Scotland": [
        (-3.05, 54.98), (-2.95, 55.05), (-2.82, 55.13), (-2.66, 55.22), (-2.48, 55.30),
        (-2.25, 55.41), (-2.17, 55.47), (-2.24, 55.58), (-2.32, 55.63), (-2.20, 55.68),
        (-2.03, 55.81),
    ],
    "England-Wales": [
        (-3.07, 53.25), (-2.93, 53.17), (-2.73, 53.02), (-2.85, 52.95), (-3.13, 52.90),
        (-3.05, 52.72), (-3.03, 52.55), (-3.13, 52.42), (-3.00, 52.27), (-3.12, 52.16),
        (-2.96, 51.95), (-2.72, 51.84), (-2.66, 51.72), (-2.65, 51.61),
    ],
}  # fmt: skip


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1)
    farthest, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], start=1):
        if length:
            distance = abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / length
        else:
            distance = math.hypot(x - x1, y - y1)
        if distance > farthest:
            farthest, index = distance, i
    if farthest <= tolerance:
        return [points[0], points[-1]]
    return _simplify(points[: index + 1], tolerance)[:-1] + _simplify(points[index:], tolerance)


def _area(points: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(points))) / 2


def outline(topology: dict) -> dict:
    arcs = _decode_arcs(topology)
    (uk,) = [g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == UK_ID]
    rings = []
    for polygon in uk["arcs"]:
        ring = _ring(arcs, polygon[0])  # the outer ring; the UK's lakes are too small to show
        if _area(ring) < SMALLEST_RING:
            continue
        # Split in two so that Douglas-Peucker keeps a closed ring's far side.
        half = len(ring) // 2
        simple = _simplify(ring[: half + 1], TOLERANCE)[:-1] + _simplify(ring[half:], TOLERANCE)
        rings.append([[round(x, 2), round(y, 2)] for x, y in simple])
    return {
        "source": "Natural Earth 1:50m Admin 0 countries, version 4.1.0 (public domain), "
        "via world-atlas 2.0.2; simplified by scripts/map_outline.py",
        "land": rings,
        "borders": {name: [list(p) for p in line] for name, line in BORDERS.items()},
    }


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        json.dump(outline(json.load(source)), sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
