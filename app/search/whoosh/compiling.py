"""The project's parsed query as Whoosh query objects: a clause's alternatives ORed (a word a
Term, a phrase our KeyedPhrase), clauses ANDed, negated clauses taken away (AndNot).

An alternative the thesaurus or the compound check added counts half what a typed one does,
so a pilot with the person's own words ranks above one with only words that mean the same."""

from __future__ import annotations

from typing import Any

from whoosh.query import And, AndNot, Every, Or, Query, Term

from app.search.query import Clause, ParsedQuery
from app.search.whoosh.phrases import KeyedPhrase, PhraseRanker

ADDED_BOOST = 0.5


def compile_clause(analyzer: Any, ranker: PhraseRanker, clause: Clause) -> Query | None:
    """One clause, its negation aside; None when the analyzer leaves nothing (stop words)."""
    alternatives: list[Query] = []
    for alternative in clause.alternatives:
        terms = [t.text for t in analyzer(" ".join(alternative.words))]
        boost = ADDED_BOOST if alternative.added else 1.0
        if len(terms) == 1:
            alternatives.append(Term("content", terms[0], boost=boost))
        elif terms:
            alternatives.append(KeyedPhrase("content", terms, boost=boost, ranker=ranker))
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else Or(alternatives)


def any_of(queries: list[Query]) -> Query | None:
    """The queries ORed; None for none."""
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else Or(queries)


def compile_query(analyzer: Any, ranker: PhraseRanker, parsed: ParsedQuery) -> Query | None:
    """The whole query; None when nothing searchable is left."""
    wanted: list[Query] = []
    unwanted: list[Query] = []
    for clause in parsed.clauses:
        query = compile_clause(analyzer, ranker, clause)
        if query is not None:
            (unwanted if clause.negated else wanted).append(query)
    if not wanted and not unwanted:
        return None
    base: Query = (wanted[0] if len(wanted) == 1 else And(wanted)) if wanted else Every()
    excluded = any_of(unwanted)
    return AndNot(base, excluded) if excluded is not None else base
