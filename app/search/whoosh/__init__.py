"""The Whoosh search engine, the default backend: `WhooshBackend` is all the app uses of it.

- Generations (index.py): SEARCH_INDEX_DIR/current links to the generation served; a rebuild
  writes a new `gen-*` beside it and swaps the link in one rename. build.py builds it on two
  cores: a helper process writes a second segment from every other batch, nothing merged.
- Saves (backend.py) queue their pilot ids as files in `pending/`; whoever holds `write.lock`
  drains the queue into one new segment. Small segments are merged in tiers within a save
  (merge.py), by indexing their live pilots again rather than copying postings one by one.
- Every segment is written by the fast writer (bulk.py), which also writes raw arrays beside it
  (idlists.py): each term's document ids and weights, its position keys (document << 32 |
  position), and each document's pilot id; queries read them with `array.frombytes`.
- Ranking (ranking.py) scores words from the id arrays with Whoosh's own BM25F, in its order;
  a phrase (phrases.py) is a set intersection of position keys. Facets and filters come from
  per-value bitmaps (facets.py), date and cost order from column arrays (sorting.py).
- A missing, unreadable or older-release index raises IndexUnavailable: the search service
  answers from the database while indexing.py rebuilds it; a killed rebuild leaves the old
  generation serving. So does a damaged one: every segment and TOC is written with its files'
  sizes and checksums (integrity.py), checked when a process first meets the segment, by
  `flask search check`, and whenever reading the index raises (guard.py's `reads_index`).
"""

from app.search.whoosh.backend import WhooshBackend

__all__ = ["WhooshBackend"]
