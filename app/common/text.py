"""Small text formatting shared by templates, feeds and exports."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_NON_SLUG = re.compile(r"[^a-z0-9]+")
# Control characters, plus the bidirectional overrides and isolates, which can make text read
# differently from what it says (right-to-left script itself needs none of them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def slugify(text: str, max_length: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def strip_control(text: str) -> str:
    """Remove control characters other than tab and newlines (they break XML and CSV readers) and
    bidirectional overrides (they disguise text)."""
    return _CONTROL.sub("", text)


def format_date(value: date | datetime | str | None) -> str:
    """27 March 2026; ISO strings (as stored in version snapshots) are read first."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            parsed: date | datetime = date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        parsed = value
    return f"{parsed.day} {parsed:%B %Y}"
