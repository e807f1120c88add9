"""The projection puts places where a reader expects them, and the outline stays small."""

from __future__ import annotations

import json

from app.maps.outline import OUTLINE_FILE, border_path, land_path
from app.maps.projection import Projection

PLACES = {  # longitude, latitude
    "London": (-0.13, 51.51),
    "Cardiff": (-3.18, 51.48),
    "Edinburgh": (-3.19, 55.95),
    "Belfast": (-5.93, 54.60),
    "Lerwick": (-1.15, 60.15),
}


def test_places_fall_where_a_reader_expects_them():
    projection = Projection(360)
    x = {name: projection.point(*where)[0] for name, where in PLACES.items()}
    y = {name: projection.point(*where)[1] for name, where in PLACES.items()}
    assert x["Belfast"] < x["Cardiff"] < x["London"]
    assert y["Lerwick"] < y["Edinburgh"] < y["Belfast"] < y["London"]
    # cos(latitude) scaling: London to Cardiff (3.05 degrees of longitude at 51.5 N, about
    # 211 km) is drawn about as long as 1.9 degrees of latitude (about 211 km).
    east_west = x["London"] - x["Cardiff"]
    assert 0.9 < east_west / (1.9 * projection.unit) < 1.1
    for name, where in PLACES.items():
        px, py = projection.point(*where)
        assert 0 <= px <= projection.width and 0 <= py <= projection.height, name


def test_the_outline_is_small_and_says_where_it_comes_from():
    assert OUTLINE_FILE.stat().st_size < 10_000
    outline = json.loads(OUTLINE_FILE.read_text())
    assert "Natural Earth" in outline["source"]
    assert set(outline["borders"]) == {"England-Scotland", "England-Wales"}
    assert (OUTLINE_FILE.parent / "SOURCE.md").exists()
    assert land_path(360).count("Z") == len(outline["land"])
    assert border_path(360).count("M") == 2
