"""JSON-LD in the tests, offline: the only remote contexts a document may name are schema.org's
and DCAT-AP's, served from copies in tests/fixtures/jsonld; any other address fails the test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyld import jsonld

DCAT_AP_CONTEXT = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld"
SHIPPED = {
    "https://schema.org": "schema-org-context.jsonld",
    "https://schema.org/": "schema-org-context.jsonld",
    DCAT_AP_CONTEXT: "dcat-ap-3.0.1-context.jsonld",
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


def compact(document: Any, context: str) -> dict[str, Any]:
    """`document` compacted with the (shipped) context at the address `context`."""
    return jsonld.compact(document, context, {"documentLoader": _shipped_only})  # type: ignore[no-any-return]


def triples(document: Any) -> set[str]:
    """The document's RDF statements as N-Quads lines, blank nodes canonically named."""
    options = {"algorithm": "URDNA2015", "format": "application/n-quads",
               "documentLoader": _shipped_only}  # fmt: skip
    return set(jsonld.normalize(document, options).splitlines())
