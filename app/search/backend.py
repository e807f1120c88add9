"""The search interface both backends implement, and the shapes they answer with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from app.search.documents import SearchDocument
from app.search.query import ParsedQuery

PER_PAGE = 20
SORTS = ("relevance", "newest", "cost")
# Filter name (as in /search's address) → facet field.
FACETS = ("pillar", "council", "region", "council_type", "status", "verdict", "cost", "year")

# A snippet is text pieces, each marked (a matching word) or not; templates escape every piece.
Snippet = list[tuple[str, bool]]


class IndexUnavailable(RuntimeError):
    """The index is missing or unreadable; the caller falls back to a database search."""


@dataclass
class SearchRequest:
    query: ParsedQuery
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    with_facets: bool = True


@dataclass
class SearchResults:
    pilot_ids: list[int]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    snippets: dict[int, Snippet] = field(default_factory=dict)


class SearchBackend(Protocol):
    name: str

    def search(self, request: SearchRequest, texts: dict[int, str] | None = None) -> SearchResults:
        """Ranked ids for one page, the exact total, facet counts over all matches; snippets
        for the page's pilots when `texts` (pilot id → text to cut the snippet from) is given
        (the backend may instead fetch the text itself)."""
        ...

    def more_like_this(self, document: SearchDocument, limit: int) -> list[int]: ...

    def index(self, documents: list[SearchDocument], removed: list[int]) -> None: ...

    def rebuild(self, documents: list[SearchDocument]) -> None: ...

    def indexed_digests(self) -> dict[int, str]: ...

    def term_count(self, word: str) -> int: ...

    def suggest(self, word: str) -> str | None: ...

    def state(self) -> dict[str, object]: ...


def split_marked(text: str, start: str = "\x02", stop: str = "\x03") -> Snippet:
    """Turn text with start/stop sentinels around matches into snippet pieces."""
    pieces: Snippet = []
    for i, chunk in enumerate(text.split(start)):
        if i == 0:
            if chunk:
                pieces.append((chunk, False))
            continue
        marked, _, rest = chunk.partition(stop)
        if marked:
            pieces.append((marked, True))
        if rest:
            pieces.append((rest, False))
    return pieces
