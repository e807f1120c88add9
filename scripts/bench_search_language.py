"""What understanding a query costs on Whoosh: the fallback (no pilot has all the words) and the
expansions (council words, compounds) against the plain query, at BENCH_N synthetic pilots.

    make bench-search                       # runs this too, at BENCH_N (default 10,000)
    BENCH_N=100000 .venv/bin/python scripts/bench_search_language.py   # slow: builds 100k

The pilots are bench_search.py's (same seed and vocabulary). Each query goes through
app.search.answering.answer(), as /search sends it, in a serving process with one searcher,
facet counts on (what /search asks for), caches cleared before each query. Kinds:

- plain two words: a common and a middling word, all must match (`exact`: no thesaurus);
- no pilot has all: the same two words and an unknown word, so the AND finds nothing, the
  suggestion is looked for and the pilots with most of the words are ranked;
- with council words: a domain word that is in the thesaurus and a middling word, expanded;
  against the same query searched `exact`.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import (  # type: ignore[import-not-found]
    DOMAIN,
    SEED,
    document_frequencies,
    generate,
    percentile,
)
from flask import Flask

from app.search.answering import answer
from app.search.backend import SearchRequest
from app.search.expansion import current_thesaurus
from app.search.query import parse_query
from app.search.whoosh import WhooshBackend

QUERIES = 200


def mix(documents: list, vocab: list[str]) -> dict[str, list[tuple[str, bool]]]:
    """Kind → (query, exact) pairs."""
    rng = random.Random(SEED + 3)
    df = document_frequencies(documents, DOMAIN + vocab[len(DOMAIN) : 3000])
    common = [w for w, f in df.items() if 0.4 <= f <= 0.8 and w in DOMAIN] or DOMAIN[:20]
    middling = [w for w, f in df.items() if 0.05 <= f <= 0.4] or DOMAIN
    thesaurus = current_thesaurus()
    council_words = [w for w in DOMAIN if thesaurus.synonyms([w])]
    kinds: dict[str, list[tuple[str, bool]]] = {
        "plain two words": [],
        "no pilot has all": [],
        "council words, exact": [],
        "council words, expanded": [],
    }
    for n in range(QUERIES):
        two = f"{rng.choice(common)} {rng.choice(middling)}"
        kinds["plain two words"].append((two, True))
        kinds["no pilot has all"].append((f"{two} qzxv{n}w", True))
        expanded = f"{rng.choice(council_words)} {rng.choice(middling)}"
        kinds["council words, exact"].append((expanded, True))
        kinds["council words, expanded"].append((expanded, False))
    return kinds


def run(backend: WhooshBackend, query: str, exact: bool) -> None:
    backend._facets.clear()  # measure the work, not the cache of a repeated query
    backend._filters.clear()
    answer(backend, SearchRequest(query=parse_query(query)), exact=exact)


def main() -> None:
    n = int(os.environ.get("BENCH_N", "10000"))
    work = Path(tempfile.mkdtemp(prefix="bench-search-language-"))
    app = Flask(__name__)
    app.config["CONTENT_DIR"] = str(Path(__file__).resolve().parent.parent / "content")
    try:
        documents, _, vocab, _ = generate(n)
        backend = WhooshBackend(str(work / "whoosh"))
        backend.rebuild(iter(documents), lambda ids: ([], set()))
        with app.app_context():
            kinds = mix(documents, vocab)
            del documents
            backend.close()
            backend = WhooshBackend(str(work / "whoosh"))  # a serving worker's fresh searcher
            backend.searcher()
            timings: dict[str, list[float]] = {}
            for kind, queries in kinds.items():
                times = []
                for query, exact in queries:
                    started = time.perf_counter()
                    run(backend, query, exact)
                    times.append((time.perf_counter() - started) * 1000)
                timings[kind] = times
            backend.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    p95 = {kind: percentile(times, 95) for kind, times in timings.items()}
    print(f"\nUnderstanding a query on Whoosh, N = {n:,} pilots; p50 / p95 in ms")
    for kind, times in timings.items():
        print(f"{kind:26} {percentile(times, 50):7.1f} / {p95[kind]:7.1f}")
    fallback = p95["no pilot has all"] / p95["plain two words"]
    expansion = p95["council words, expanded"] / p95["council words, exact"]
    print(f"fallback / plain p95: {fallback:.2f}x; expanded / exact p95: {expansion:.2f}x")


if __name__ == "__main__":
    main()
