"""Search on PostgreSQL full-text search, for councils running several servers.

Each public pilot's `search_vector` holds its title (weight A), hypothesis, tags and summary (B)
and everything else (C), under a GIN index. The vector is written in the same transaction as
the change that caused it, so it can never be ahead of or behind the data."""

from __future__ import annotations

import dataclasses
import difflib
import operator
import time
from collections.abc import Iterable
from functools import reduce
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    select,
    text,
    update,
)

from app.pilots.models import Pilot, PilotPillar
from app.search.backend import SearchRequest, SearchResults, Snippet, split_marked
from app.search.documents import SearchDocument
from app.search.query import Alternative, Clause, ParsedQuery
from app.search.sql_search import DbSession, run_search

CONFIG = "english"
HEADLINE_OPTIONS = (
    'StartSel="\x02", StopSel="\x03", MaxWords=35, MinWords=15, MaxFragments=2, '
    'FragmentDelimiter=" … "'
)
VOCABULARY_SECONDS = 600
# Ranks pilots with more of the words first when none has them all: ts_rank_cd stays far below.
CLAUSE_WEIGHT = 10_000


def vector_sql(title: Any, high: Any, body: Any) -> Any:
    def weighted(value: Any, weight: str) -> Any:
        return func.setweight(func.to_tsvector(CONFIG, value), literal_column(f"'{weight}'"))

    return weighted(title, "A").op("||")(weighted(high, "B")).op("||")(weighted(body, "C"))


def _alternative_tsquery(alternative: Alternative) -> ColumnElement[Any]:
    words = " ".join(alternative.words)
    if alternative.is_phrase:
        return func.phraseto_tsquery(CONFIG, words)
    return func.plainto_tsquery(CONFIG, words)


def clause_tsquery(clause: Clause) -> ColumnElement[Any]:
    """One clause, its negation aside: its alternatives ORed."""
    return reduce(func.tsquery_or, map(_alternative_tsquery, clause.alternatives))


def _tsquery(parsed: ParsedQuery) -> ColumnElement[Any]:
    """The query as the project's parser reads it, not as websearch_to_tsquery would (which
    binds AND tighter than OR): clauses ANDed, each one's alternatives ORed, -clauses negated.
    A clause of stop words is an empty tsquery, which tsquery_and leaves out, as Whoosh does."""
    parts = [
        func.tsquery_not(clause_tsquery(c)) if c.negated else clause_tsquery(c)
        for c in parsed.clauses
    ]
    return reduce(func.tsquery_and, parts)


def _matches(query: ColumnElement[Any]) -> ColumnElement[bool]:
    return Pilot.search_vector.op("@@", is_comparison=True)(query)


class PostgresBackend:
    name = "postgres"

    def __init__(self, session: DbSession) -> None:
        self.session = session
        # No stamp yet: time.monotonic() may itself be under VOCABULARY_SECONDS after a boot.
        self._vocabulary: tuple[float | None, list[str]] = (None, [])

    def _match(self, parsed: ParsedQuery) -> ColumnElement[bool] | None:
        if parsed.is_empty:
            return None
        query = _tsquery(parsed)
        # A query of stop words only ("the") has no lexemes: it lists everything, as in Whoosh.
        return (func.numnode(query) == 0) | _matches(query)

    def _rank(self, parsed: ParsedQuery) -> ColumnElement[float] | None:
        if parsed.is_empty:
            return None
        return func.ts_rank_cd(Pilot.search_vector, _tsquery(parsed))

    def search(self, request: SearchRequest) -> SearchResults:
        if request.some_words:
            return self._search_some_words(request)
        return run_search(self.session, request, self._match, self._rank)

    def _search_some_words(self, request: SearchRequest) -> SearchResults:
        """Pilots with any wanted clause and no unwanted one, those with more clauses first,
        then by ts_rank_cd; and which clauses each pilot listed lacks."""
        clauses = request.query.clauses
        wanted = [clause_tsquery(c) for c in clauses if not c.negated]
        unwanted = [clause_tsquery(c) for c in clauses if c.negated]
        if not wanted:
            return SearchResults(pilot_ids=[], total=0)
        any_wanted = reduce(func.tsquery_or, wanted)
        has = [_matches(query) for query in wanted]

        def match(_: ParsedQuery) -> ColumnElement[bool]:
            condition = _matches(any_wanted)
            for query in unwanted:
                condition = condition & ~_matches(query)
            return condition

        def rank(_: ParsedQuery) -> ColumnElement[float]:
            found: list[ColumnElement[Any]] = [case((h, CLAUSE_WEIGHT), else_=0) for h in has]
            score: ColumnElement[Any] = func.ts_rank_cd(Pilot.search_vector, any_wanted)
            return reduce(operator.add, found, score)

        ranked = dataclasses.replace(request, sort="relevance")
        results = run_search(self.session, ranked, match, rank)
        if results.pilot_ids:
            rows = self.session.execute(
                select(Pilot.id, *has).where(Pilot.id.in_(results.pilot_ids))
            ).all()
            results.missing = {
                row[0]: [i for i, found in enumerate(row[1:]) if not found] for row in rows
            }
        return results

    def snippets(self, parsed: ParsedQuery, texts: dict[int, str]) -> dict[int, Snippet]:
        if parsed.is_empty or not texts:
            return {}
        ids = list(texts)
        # Only the wanted words are marked: an unwanted one is in no listed pilot.
        wanted = ParsedQuery(parsed.positive_clauses)
        if wanted.is_empty:
            return {}
        tsquery = self.session.scalar(select(cast(_tsquery(wanted), Text)))
        rows = self.session.execute(
            text(
                "SELECT ts_headline(:config, t, CAST(:q AS tsquery), :options) "
                "FROM unnest(CAST(:texts AS text[])) WITH ORDINALITY AS u(t, n) ORDER BY n"
            ),
            {
                "config": CONFIG,
                "q": tsquery,
                "options": HEADLINE_OPTIONS,
                "texts": [texts[i] for i in ids],
            },
        ).scalars()
        found: dict[int, Snippet] = {}
        for pilot_id, marked in zip(ids, rows, strict=True):
            if "\x02" in marked:
                found[pilot_id] = split_marked(marked)
        return found

    def more_like_this(self, document: SearchDocument, limit: int) -> list[int]:
        # The pilot's own words, ORed: the pilots sharing most of them rank highest.
        query = text(
            "SELECT string_agg(quote_literal(lexeme), ' | ') "
            "FROM unnest(to_tsvector(:config, :t)) AS v(lexeme, positions, weights)"
        )
        terms = self.session.scalar(query, {"config": CONFIG, "t": document.similar_text})
        if not terms:
            return []
        tsquery = func.to_tsquery("simple", terms)
        rows = self.session.scalars(
            select(Pilot.id)
            .where(
                Pilot.status != "draft",
                Pilot.id != document.pilot_id,
                Pilot.search_vector.op("@@", is_comparison=True)(tsquery),
            )
            .order_by(func.ts_rank_cd(Pilot.search_vector, tsquery).desc(), Pilot.id)
            .limit(limit)
        )
        return list(rows)

    def stale_for_pillar(self, slug: str, name: str) -> set[int]:
        """Pilots filed under the pillar whose vector lacks its current name (it was renamed)."""
        query = (
            select(Pilot.id)
            .join(PilotPillar, PilotPillar.pilot_id == Pilot.id)
            .where(
                PilotPillar.pillar_slug == slug,
                Pilot.status != "draft",
                ~Pilot.search_vector.op("@@", is_comparison=True)(
                    func.plainto_tsquery(CONFIG, name)
                ),
            )
        )
        return set(self.session.scalars(query))

    def has_word(self, word: str) -> bool:
        """Whether a public pilot's vector holds the word's lexemes (drafts have none)."""
        query = func.plainto_tsquery(CONFIG, word)
        return bool(
            self.session.scalar(
                select(func.numnode(query) > 0).where(
                    select(Pilot.id).where(_matches(query)).limit(1).exists()
                )
            )
        )

    def suggest(self, word: str) -> str | None:
        found = self.session.scalar(
            select(func.count())
            .select_from(Pilot)
            .where(
                Pilot.search_vector.op("@@", is_comparison=True)(func.plainto_tsquery(CONFIG, word))
            )
        )
        has_lexemes = self.session.scalar(select(func.numnode(func.plainto_tsquery(CONFIG, word))))
        if found or not has_lexemes:
            return None
        close = difflib.get_close_matches(word.lower(), self._words(), n=1, cutoff=0.75)
        return close[0] if close else None

    def _words(self) -> list[str]:
        stamp, words = self._vocabulary
        if stamp is None or time.monotonic() - stamp > VOCABULARY_SECONDS:
            words = list(
                self.session.scalars(
                    text(
                        "SELECT word FROM ts_stat($$SELECT to_tsvector('simple', "
                        "title || ' ' || summary || ' ' || hypothesis) FROM pilots "
                        "WHERE status <> 'draft'$$)"
                    )
                )
            )
            self._vocabulary = (time.monotonic(), words)
        return words

    # Writing, inside the caller's transaction ---------------------------------------------

    def write_vectors(self, documents: Iterable[SearchDocument], removed: Iterable[int]) -> None:
        statement = (
            update(Pilot.__table__)  # type: ignore[arg-type]
            .where(Pilot.__table__.c.id == bindparam("pilot_id"))
            .values(search_vector=vector_sql(bindparam("t"), bindparam("h"), bindparam("b")))
        )
        rows = [{"pilot_id": d.pilot_id, "t": d.title, "h": d.high, "b": d.body} for d in documents]
        connection = self.session.connection()
        if rows:
            connection.execute(statement, rows)
        gone = list(removed)
        if gone:
            connection.execute(
                update(Pilot.__table__)  # type: ignore[arg-type]
                .where(Pilot.__table__.c.id.in_(gone))
                .values(search_vector=None)
            )

    def drift(self, documents: dict[int, SearchDocument]) -> list[str]:
        """Pilots whose stored vector differs from what their text gives now."""
        problems: list[str] = []
        stale = select(Pilot.id).where(Pilot.status == "draft", Pilot.search_vector.is_not(None))
        problems += [f"draft pilot {i} is searchable" for i in self.session.scalars(stale)]
        check = text(
            "SELECT search_vector IS NOT DISTINCT FROM "
            "(setweight(to_tsvector(:c, :t), 'A') || setweight(to_tsvector(:c, :h), 'B') "
            "|| setweight(to_tsvector(:c, :b), 'C')) FROM pilots WHERE id = :id"
        )
        for pilot_id, d in documents.items():
            same = self.session.scalar(
                check, {"c": CONFIG, "t": d.title, "h": d.high, "b": d.body, "id": pilot_id}
            )
            if not same:
                problems.append(f"pilot {pilot_id} is out of date in the index")
        return problems

    def state(self) -> dict[str, Any]:
        indexed = self.session.scalar(
            select(func.count()).select_from(Pilot).where(Pilot.search_vector.is_not(None))
        )
        return {"ok": True, "index_present": True, "documents": indexed}
