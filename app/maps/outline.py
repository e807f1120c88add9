"""The UK's outline as SVG path data, read once from content/map/uk-outline.json.

The file holds Natural Earth's 1:50m coast of the UK (public domain), simplified to about 500
points by scripts/map_outline.py, and coarse lines for the two land borders between its nations;
content/map/SOURCE.md says where each comes from.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from app.maps.projection import Projection

OUTLINE_FILE = Path(__file__).resolve().parents[2] / "content" / "map" / "uk-outline.json"


@cache
def _outline() -> dict[str, object]:
    return json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _path(points: list[list[float]], projection: Projection, closed: bool) -> str:
    xy = [projection.point(lon, lat) for lon, lat in points]
    data = "M" + " L".join(f"{x:g} {y:g}" for x, y in xy)
    return data + ("Z" if closed else "")


@cache
def land_path(width: float) -> str:
    """The coast of Great Britain, Northern Ireland and the larger islands, as one path."""
    rings = _outline()["land"]
    return " ".join(_path(ring, Projection(width), closed=True) for ring in rings)  # type: ignore[attr-defined]


@cache
def border_path(width: float) -> str:
    """The England-Scotland and England-Wales borders (Northern Ireland's is the coast's)."""
    lines = _outline()["borders"].values()  # type: ignore[attr-defined]
    return " ".join(_path(line, Projection(width), closed=False) for line in lines)
