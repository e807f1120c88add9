"""JSON-LD expansion in the tests, offline: the only remote context a document may name is
schema.org's, served from a copy in tests/fixtures/jsonld; any other address fails the test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyld import jsonld

SHIPPED = {
    "https://schema.org": "schema-org-context.jsonld",
    "https://schema.org/": "schema-org-context.jsonld",
}
FIXTURES = Path(__file__).parent / "fixtures" / "jsonld"


def _shipped_only(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url not in SHIPPED:
        raise AssertionError(f"JSON-LD expansion tried to fetch {url!r}")
    document = json.loads((FIXTURES / SHIPPED[url]).read_text())
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": document}  # fmt: skip


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The expanded form of `document` (pyld raises on anything that is not JSON-LD)."""
    return jsonld.expand(document, {"documentLoader": _shipped_only})  # type: ignore[no-any-return]
