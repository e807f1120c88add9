"""Search on the embedded Whoosh index (the default backend).

What keeps it fast (see README "Search"): one searcher per process, reused until the index
changes; segments written uncompound, so opening a reader maps files instead of copying them;
facets counted from per-value bitmaps and cached until the index changes; filters taken from
the same bitmaps; plain-word and phrase queries ranked by ranking.py instead of Whoosh's
matchers; rebuilds written by build.py; stored fields read only for the page shown.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh.query import And, AndNot, Every, Or, Query, Term
from whoosh.searching import Searcher

from app.search.backend import (
    IndexUnavailable,
    SearchRequest,
    SearchResults,
    Snippet,
)
from app.search.documents import SearchDocument
from app.search.highlight import snippet
from app.search.query import ParsedQuery
from app.search.whoosh.build import build_generation
from app.search.whoosh.bulk import BulkSegmentWriter, TermCutter
from app.search.whoosh.compiling import compile_query
from app.search.whoosh.facets import Cache, FacetBitmaps, bitmap, members
from app.search.whoosh.following import ChangeSource, Loader, LogFollower
from app.search.whoosh.guard import DamageWatch, reads_index
from app.search.whoosh.index import (
    IndexDirectory,
    document_fields,
    make_schema,
    text_analyzer,
)
from app.search.whoosh.merge import WRITER_OPTIONS, merge_small_segments
from app.search.whoosh.ranking import Ranker, top
from app.search.whoosh.similar import similar_documents
from app.search.whoosh.some_words import all_clauses_scores, search_some_words
from app.search.whoosh.sorting import ColumnOrder

log = logging.getLogger(__name__)
FACET_FIELDS = {
    "pillar": "pillar",
    "council": "council",
    "region": "region",
    "council_type": "council_type",
    "status": "status",
    "verdict": "verdict",
    "cost": "cost",
    "year": "year",
    "programme": "programme",
}
REBUILD_WAIT_SECONDS = 600.0
BULK_FIELDS = ("content",)  # the long text: most of a pilot's postings


class WhooshBackend(DamageWatch, LogFollower):
    name = "whoosh"

    def __init__(self, index_dir: str) -> None:
        self.directory = IndexDirectory(index_dir)
        self.analyzer: Any = text_analyzer()
        self._guard = threading.RLock()
        self._target: Any = None
        self._searcher: Searcher | None = None
        self._filters = Cache(64)
        self._facets = Cache(256)
        self._facet_bitmaps: FacetBitmaps | None = None
        self._segment_bitmaps: dict[Any, Any] = {}
        self._ranker = Ranker("content")
        self._order = ColumnOrder()
        self._writing: tuple[Any, Any] | None = None
        self._cutter = TermCutter()  # the writers' stems, kept warm between saves
        self._checked: set[str] = set()  # segments whose files this process has checked
        self._damaged: dict[Path, str] = {}  # generation → what is wrong with it
        self._intact: set[tuple[Path, int]] = set()  # (generation, TOC) checked after an error

    # Reading ------------------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """The process's searcher, reopened only when the index changed or was swapped."""
        with self._guard:
            target = self.directory.current_target()
            if target in self._damaged:
                raise IndexUnavailable(self._damaged[target])
            searcher = self._searcher
            if searcher is None or target != self._target or not searcher.up_to_date():
                # Not searcher.refresh(): whoosh-reloaded 2.7.5 reuses the old reader's
                # segment readers, which miss deletions made since (an edited pilot's old
                # version stays live), and keeps merged-away segments (pilots found twice).
                # Our caches are per segment, so opening afresh loses nothing.
                searcher = self._open_searcher(target)
            if searcher is not self._searcher:
                if self._searcher is not None:
                    self._searcher.close()
                self._searcher, self._target = searcher, target
                self._filters.clear()
                self._facets.clear()
                self._facet_bitmaps = None
                self._ranker.keep_only(searcher)  # their open files too
                self._order.keep_only(searcher)
            return searcher

    def close(self) -> None:
        """Close the searcher and forget which files were checked (a reopen checks again)."""
        with self._guard:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self._target = None
            self._checked.clear()
            self._intact.clear()

    def compile(self, parsed: ParsedQuery) -> Query | None:
        """Our parsed query as Whoosh query objects; None when nothing searchable is left."""
        return compile_query(self.analyzer, self._ranker, parsed)

    def _filter_set(self, searcher: Searcher, filters: dict[str, str]) -> set[int] | None:
        if not filters:
            return None
        key = tuple(sorted(filters.items()))

        def make() -> set[int]:
            # From the facet bitmaps: Whoosh would walk each value's postings in Python.
            fields = {FACET_FIELDS[name]: value for name, value in key}
            return members(self._bitmaps(searcher).allowed(fields))

        result: set[int] = self._filters.remember(key, make)
        return result

    def _bitmaps(self, searcher: Searcher) -> FacetBitmaps:
        if self._facet_bitmaps is None:
            self._facet_bitmaps = FacetBitmaps(searcher, FACET_FIELDS, self._segment_bitmaps)
        return self._facet_bitmaps

    def _facet_counts(
        self,
        searcher: Searcher,
        query: Query | None,
        filters: dict[str, str],
        key: Any,
        found: Iterable[int] | None = None,
    ) -> tuple[int, dict[str, dict[str, int]]]:
        """Total and facet counts; `found` is the query's documents when already known."""

        def make() -> tuple[int, dict[str, dict[str, int]]]:
            bitmaps = self._bitmaps(searcher)
            matched = bitmaps.allowed(filters)
            if query is not None:
                size = searcher.doc_count_all()
                docs = searcher.docs_for_query(query) if found is None else found
                matched &= bitmap(docs, size)
            return matched.bit_count(), bitmaps.counts(matched)

        result: tuple[int, dict[str, dict[str, int]]] = self._facets.remember(key, make)
        return result

    def _facets_of(
        self, searcher: Searcher, query: Query | None, request: SearchRequest, found: Any = None
    ) -> tuple[int, dict[str, dict[str, int]]]:
        if not request.with_facets:
            return -1, {}
        key = (request.query.text(), request.some_words, tuple(sorted(request.filters.items())))
        return self._facet_counts(searcher, query, request.filters, key, found)

    @reads_index
    def search(self, request: SearchRequest) -> SearchResults:
        searcher = self.searcher()
        query = self.compile(request.query)
        allowed = self._filter_set(searcher, request.filters)
        if allowed is not None and not allowed:
            # Whoosh reads an empty filter set as no filter at all: nothing can match.
            return SearchResults(
                pilot_ids=[], total=0, facets=self._facets_of(searcher, query, request)[1]
            )
        end = request.page * request.per_page
        start = end - request.per_page
        if request.some_words:

            def facets_of(found: Any) -> dict[str, dict[str, int]]:
                return self._facets_of(searcher, Every(), request, found)[1]

            return search_some_words(
                self.analyzer, self._ranker, searcher, request, allowed, facets_of
            )
        scored = None
        if request.sort == "relevance" and self._ranker.usable(searcher):
            scored = self._ranker.scores(searcher, query)
            if scored is None and query is not None:  # OR, -word or the thesaurus's words
                scored = all_clauses_scores(self._ranker, searcher, query)
        if scored is not None:
            best, total = top(scored, allowed, end)
            ids = self._ranker.pilot_ids(searcher, best[start:end])
            facets = self._facets_of(searcher, query, request, scored)[1]
            return SearchResults(pilot_ids=ids, total=total, facets=facets)
        sortedby: Any = None
        reverse = False
        if request.sort == "newest" or (request.sort == "relevance" and query is None):
            sortedby, reverse = "updated", True
        elif request.sort == "cost":
            sortedby = "cost_pence"
        if sortedby is not None:
            docs = None if query is None else self._matching(searcher, query)
            ordered = self._order.best(searcher, sortedby, reverse, end, docs, allowed)
            if ordered is not None:
                best, total = ordered
                ids = self._ranker.pilot_ids(searcher, best[start:end])
                facets = self._facets_of(searcher, query, request, docs)[1]
                return SearchResults(pilot_ids=ids, total=total, facets=facets)
        results = searcher.search(
            query or Every(), filter=allowed, limit=end, sortedby=sortedby, reverse=reverse
        )
        shown = range(start, min(end, results.scored_length()))
        ids = self._ranker.pilot_ids(searcher, [results.docnum(i) for i in shown])
        total, facets = self._facets_of(searcher, query, request)
        if not request.with_facets:
            total = results.estimated_length()
        return SearchResults(pilot_ids=ids, total=total, facets=facets)

    def _matching(self, searcher: Searcher, query: Query) -> Iterable[int]:
        """Every document the query matches, from our ranking's lists where it can."""
        scored = self._ranker.scores(searcher, query) if self._ranker.usable(searcher) else None
        return scored.keys() if scored is not None else set(searcher.docs_for_query(query))

    def _stem(self, word: str) -> str:
        stems = [t.text for t in self.analyzer(word)]
        return stems[0] if stems else ""

    def snippets(self, parsed: ParsedQuery, texts: dict[int, str]) -> dict[int, Snippet]:
        stems = {t.text for w in parsed.positive_words for t in self.analyzer(w)}
        if not stems:
            return {}
        found: dict[int, Snippet] = {}
        for pilot_id, text in texts.items():
            pieces = snippet(text, stems, self._stem)
            if pieces:
                found[pilot_id] = pieces
        return found

    @reads_index
    def more_like_this(self, document: SearchDocument, limit: int) -> list[int]:
        searcher = self.searcher()
        key_terms = searcher.key_terms_from_text("content", document.similar_text, numterms=12)
        if not key_terms:
            return []
        if self._ranker.usable(searcher):  # Whoosh's scores, without its per-match calls
            itself = set(searcher.document_numbers(id=str(document.pilot_id)))
            best = similar_documents(self._ranker, searcher, key_terms, itself, limit)
            return self._ranker.pilot_ids(searcher, best)
        query = Or([Term("content", word, boost=weight) for word, weight in key_terms])
        query = AndNot(query, Term("id", str(document.pilot_id)))
        return [int(hit["id"]) for hit in searcher.search(query, limit=limit)]

    @reads_index
    def has_word(self, word: str) -> bool:
        """Whether the index holds the word's stems (deleted pilots' words may still count)."""
        searcher = self.searcher()
        stems = [t.text for t in self.analyzer(word)]
        return bool(stems) and all(searcher.doc_frequency("content", s) for s in stems)

    @reads_index
    def suggest(self, word: str) -> str | None:
        """A close known word when `word` matches nothing; None when it is fine."""
        searcher = self.searcher()
        stems = [t.text for t in self.analyzer(word)]
        if not stems or any(searcher.doc_frequency("content", s) for s in stems):
            return None
        suggestions = searcher.corrector("spelling").suggest(word.lower(), limit=1, maxdist=2)
        return suggestions[0] if suggestions else None

    @reads_index
    def stale_for_pillar(self, slug: str, name: str) -> set[int]:
        """Pilots filed under the pillar whose text lacks its current name (it was renamed)."""
        searcher = self.searcher()
        terms = [Term("content", t.text) for t in self.analyzer(name)]
        if not terms:
            return set()
        query = AndNot(Term("pillar", slug), And(terms))
        return {int(searcher.stored_fields(n)["id"]) for n in searcher.docs_for_query(query)}

    @reads_index
    def indexed_digests(self) -> list[tuple[int, str]]:
        """(pilot id, digest) of every live document: an id listed twice is a duplicate."""
        searcher = self.searcher()
        return [(int(f["id"]), f["digest"]) for f in searcher.all_stored_fields()]

    @reads_index
    def _served(self) -> tuple[int, str | None]:
        searcher = self.searcher()
        return searcher.doc_count(), self._target.name if self._target else None

    def state(self) -> dict[str, Any]:
        pending = self.directory.queued_count()
        try:
            documents, generation = self._served()
        except IndexUnavailable:
            return self.unavailable_state(pending)
        return {
            "ok": True,
            "index_present": True,
            "documents": documents,
            "generation": generation,
            "pending_updates": pending,
            "applied_change": self.directory.applied_change(),
        }

    # Writing ------------------------------------------------------------------------------

    def _index_for_writing(self) -> Any:
        """The open index, kept between saves so its analyzer's stem cache stays warm."""
        target = self.directory.current_target()
        if target in self._damaged:
            raise IndexUnavailable(self._damaged[target])
        if self._writing is None or self._writing[0] != target:
            self._writing = (target, self.directory.open())
        return self._writing[1]

    def _drain(self, load: Loader) -> None:
        """Apply queued changes until none are left (the caller holds the writer lock)."""
        while True:
            try:
                index = self._index_for_writing()
            except IndexUnavailable:
                return  # the rebuild that must come reads everything, then drains the queue
            files, ids = self.directory.queued()
            if not files:
                return
            documents, removed = load(ids)
            # The rebuild's fast writer: update_document deletes from the older segments,
            # and the new one gets its documents in order, all that it needs.
            writer = BulkSegmentWriter(index, BULK_FIELDS, cutter=self._cutter, **WRITER_OPTIONS)
            try:
                for pilot_id in removed:
                    writer.delete_by_term("id", str(pilot_id))
                for document in documents:
                    writer.update_document(**document_fields(document))
                # Not Whoosh's policy, which re-merges the growing pile of small segments
                # every few saves (seconds each at 10,000 pilots): see merge.py.
                writer.commit(mergetype=merge_small_segments(writer, load))
            except BaseException:
                writer.cancel()
                raise
            if writer.summed is not None:  # hashed as it was written: not again on reopening
                with self._guard:
                    self._checked.add(writer.summed)
            for path in files:
                path.unlink(missing_ok=True)

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        load: Loader,
        only_if_unreadable: bool = False,
        changes: ChangeSource | None = None,
        only_if: Callable[[], bool] | None = None,
    ) -> bool:
        """Build a new generation beside the current one and swap it in; with `changes`, it
        holds the log's head as read before the first document (later changes applied after).

        Searches keep using the old generation meanwhile; a killed rebuild leaves it serving.
        Returns False when `only_if_unreadable` and the index turned out to be fine, or when
        `only_if()` says, once the lock is held, that another worker has rebuilt it."""
        with self.directory.writer_lock(REBUILD_WAIT_SECONDS) as acquired:
            if not acquired:
                raise TimeoutError("another rebuild held the search index for too long")
            if only_if_unreadable and self._readable():
                return False
            if only_if is not None and not only_if():
                return False
            generation = self.directory.new_generation()
            start = changes.head() if changes is not None else 0
            fields = (document_fields(document) for document in documents)
            build_generation(generation, make_schema, BULK_FIELDS, fields)
            self.directory.mark_applied(start, generation)
            try:
                previous: Path | None = self.directory.current_target()
            except IndexUnavailable:
                previous = None
            self.directory.swap_to(generation)
            self.directory.remove_old_generations(previous)
            if changes is None:
                self._drain(load)
            else:
                self._apply_log(changes, load)
            return True
