"""Control characters are refused where a request comes in: once, for every route.

PostgreSQL cannot hold a NUL in a text column, so a NUL that reached a query in any address,
query parameter or form field answered 500 (`psycopg.DataError`), where SQLite answered 404 or
stored it. Checking here rather than route by route covers routes not yet written.

- Addresses and query parameters (names and values): no C0 control (tab, CR and LF included:
  none belongs in an address), no DEL, no C1.
- Form fields (names and values): the same, except tab, CR and LF, which multi-line text needs.
- Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) in form fields are taken
  out, not refused: they make text display differently from what it says, a person cannot see
  one to delete it, and the text reads the same without them (right-to-left script needs none).
"""

from __future__ import annotations

import re

from flask_babel import gettext
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.wrappers import Request

IN_ADDRESSES = re.compile(r"[\x00-\x1f\x7f-\x9f]")
IN_FORMS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def _any_in(pattern: re.Pattern[str], fields: MultiDict[str, str]) -> bool:
    return any(pattern.search(name) or pattern.search(value) for name, value in fields.items(True))


def control_character_problem(request: Request) -> str | None:
    """What in the request holds a control character, said for the person who sent it."""
    if IN_ADDRESSES.search(request.path):
        return gettext(
            "The address has a control character in it (such as a NUL). Check the address."
        )
    if _any_in(IN_ADDRESSES, request.args):
        return gettext(
            "The address has a control character in it (such as a NUL). Check the address."
        )
    if _any_in(IN_FORMS, request.form):
        return gettext(
            "What you sent has a control character in it (such as a NUL). Remove it and try again."
        )
    return None


def strip_bidi_controls(request: Request) -> None:
    """Take bidirectional overrides and isolates out of the request's form fields."""
    if not _any_in(BIDI_CONTROLS, request.form):
        return
    request.form = ImmutableMultiDict(
        [(BIDI_CONTROLS.sub("", k), BIDI_CONTROLS.sub("", v)) for k, v in request.form.items(True)]
    )
