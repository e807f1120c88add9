"""Page numbers for listings, shaped for the GOV.UK pagination component."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import BadRequest


def page_number(raw: str | None) -> int:
    """The `page` query parameter, 1 when absent; 400 with a message for nonsense."""
    if raw in (None, ""):
        return 1
    if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= 100_000:
        raise BadRequest("The page number must be a whole number from 1 upwards.")
    return int(raw)


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)

    def govuk_params(self, url_for_page: Callable[[int], str]) -> dict[str, Any] | None:
        """Parameters for govukPagination, or None when one page holds everything."""
        if self.pages <= 1:
            return None
        params: dict[str, Any] = {"items": []}
        if self.page > 1:
            params["previous"] = {"href": url_for_page(self.page - 1)}
        if self.page < self.pages:
            params["next"] = {"href": url_for_page(self.page + 1)}
        shown = sorted({1, self.pages, self.page - 1, self.page, self.page + 1})
        last = 0
        for number in shown:
            if number < 1 or number > self.pages:
                continue
            if number - last > 1:
                params["items"].append({"ellipsis": True})
            params["items"].append(
                {"number": number, "href": url_for_page(number), "current": number == self.page}
            )
            last = number
        return params
