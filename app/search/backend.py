"""The search interface both backends implement, and the shapes they answer with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from app.search.documents import SearchDocument
from app.search.query import ParsedQuery

PER_PAGE = 20
SORTS = ("relevance", "newest", "cost")
# Filter name (as in /search's address) → facet field.
FACETS = (
    "pillar", "council", "region", "council_type", "status", "verdict", "cost", "year", "programme",
)  # fmt: skip

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
    # Pilots with any of the wanted clauses, those with more of them first, then by score:
    # the answer when no pilot has them all. Always ranked, whatever `sort` says.
    some_words: bool = False


@dataclass
class SearchResults:
    pilot_ids: list[int]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    snippets: dict[int, Snippet] = field(default_factory=dict)
    # With `some_words`: for each pilot listed, the positions (in query.positive_clauses) of
    # the clauses it lacks.
    missing: dict[int, list[int]] = field(default_factory=dict)


class SearchBackend(Protocol):
    """What the /search page and the pilot page ask of a backend.

    Writing differs by nature and is not part of this: Whoosh applies committed changes after
    the commit (WhooshBackend.apply / rebuild), PostgreSQL writes vectors inside the same
    transaction (PostgresBackend.write_vectors); app.search.indexing calls each."""

    name: str

    def search(self, request: SearchRequest) -> SearchResults:
        """Ids for one page in order, the exact total and facet counts over every match."""
        ...

    def snippets(self, parsed: ParsedQuery, texts: dict[int, str]) -> dict[int, Snippet]:
        """For each pilot id, its text cut down around the matching words (none if no match)."""
        ...

    def more_like_this(self, document: SearchDocument, limit: int) -> list[int]:
        """Ids of the public pilots most like the document, never the document's own."""
        ...

    def has_word(self, word: str) -> bool:
        """Whether any public pilot holds the word (as the index stems it)."""
        ...

    def suggest(self, word: str) -> str | None:
        """A known word close to `word` when `word` matches nothing, else None."""
        ...

    def stale_for_pillar(self, slug: str, name: str) -> set[int]:
        """Pilots under the pillar whose indexed text lacks the pillar's current name."""
        ...

    def state(self) -> dict[str, object]:
        """For /healthz."""
        ...


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
