"""Degrees to SVG units: an equirectangular projection with cos(latitude) scaling.

A degree of longitude is cos(latitude) times as long as a degree of latitude; at the UK's
middle latitude (54.5 N) that is 0.58. Scaling x by cos(54.5 N) keeps the country's shape within
about 5% from the Channel to Shetland, which is all a map of marks needs; a transverse Mercator
(as the Ordnance Survey's grid uses) would be exact but adds nothing a reader could see here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The UK with a margin: Scilly and Northern Ireland's west coast to Lowestoft, the Channel coast
# to Shetland (degrees).
WEST, EAST, SOUTH, NORTH = -8.3, 1.9, 49.8, 61.0
MIDDLE_LATITUDE = 54.5
X_SCALE = math.cos(math.radians(MIDDLE_LATITUDE))


@dataclass(frozen=True)
class Projection:
    """Degrees onto an SVG `width` wide; the height follows from the UK's shape."""

    width: float

    @property
    def unit(self) -> float:
        """SVG units per degree of latitude."""
        return self.width / ((EAST - WEST) * X_SCALE)

    @property
    def height(self) -> float:
        return round((NORTH - SOUTH) * self.unit, 1)

    def point(self, longitude: float, latitude: float) -> tuple[float, float]:
        x = (longitude - WEST) * X_SCALE * self.unit
        y = (NORTH - latitude) * self.unit
        return round(x, 1), round(y, 1)

    def contains(self, longitude: float, latitude: float) -> bool:
        return WEST <= longitude <= EAST and SOUTH <= latitude <= NORTH
