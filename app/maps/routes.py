"""/map: where pilots ran, with /search's filters."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, render_template, request, url_for

from app.common.caching.page_cache import cached_page
from app.maps import drawing, service
from app.maps.service import CouncilCount, PlacedPilot
from app.pillars.service import pillars_version
from app.search.query import QueryTooLong
from app.search.service import SearchInputError, index_version

bp = Blueprint("maps", __name__)
MAP_WIDTH = 360


@bp.get("/map")
@cached_page(index_version, pillars_version)
def uk_map() -> str:
    args = {k: v for k, v in request.args.items() if isinstance(v, str)}
    try:
        result = service.pilot_map(args)
    except (SearchInputError, QueryTooLong) as error:
        abort(400, str(error))

    # The council's pilots under the same filters: what its mark counted. Worked out once
    # each (the map and the table both link there), from one address with a stand-in for the
    # code: 400 calls of url_for were a fifth of the page's time.
    stand_in = "council-code-here"
    search_href = url_for(
        "search.search",
        **{"council": stand_in, **result.filters},  # type: ignore[arg-type]
    )
    hrefs = {
        council.code: search_href.replace(
            f"council={stand_in}", f"council={quote(council.code.lower(), safe='')}"
        )
        for council in result.councils
    }

    def council_href(council: CouncilCount) -> str:
        return hrefs[council.code]

    def pilot_href(pilot: PlacedPilot) -> str:
        return url_for("pilots.show", slug=pilot.slug)

    return render_template(
        "maps/map.html",
        result=result,
        drawing=drawing.draw(result.councils, result.placed_pilots, MAP_WIDTH),
        choices=service.filter_choices(),
        colours=drawing.COLOURS,
        council_href=council_href,
        pilot_href=pilot_href,
    )
