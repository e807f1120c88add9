"""The small map on a council's page: the councils it has run public pilots with."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.councils.models import Council
from app.maps.drawing import COLOURS, Drawing, Mark, draw
from app.maps.projection import Projection
from app.maps.service import CouncilCount, partner_counts

SMALL_MAP_WIDTH = 220


@dataclass(frozen=True)
class PartnerMap:
    itself: CouncilCount
    partners: list[CouncilCount]
    drawing: Drawing


def partner_map(council: Council, width: float = SMALL_MAP_WIDTH) -> PartnerMap:
    """The council (a black ring) and, in blue, every council it shared a public pilot with."""
    itself, partners = partner_counts(council)
    drawing = draw(partners, width=width, colour_of="partner")
    if itself.latitude is not None and itself.longitude is not None:
        projection = Projection(width)
        lon, lat = float(itself.longitude), float(itself.latitude)
        if projection.contains(lon, lat):
            x, y = projection.point(lon, lat)
            # Drawn last, so on top of any neighbour it partnered with.
            mark = Mark(x, y, round(6 * width / 360 + 2, 1), COLOURS["itself"], itself)
            drawing = replace(drawing, marks=[*drawing.marks, mark])
    return PartnerMap(itself, partners, drawing)
