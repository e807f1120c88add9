"""Rendered bytes kept in memory so unchanged feeds, entries and pages are never rebuilt.

Each item is stored with the version it was built for (a feed's ETag, an entry's pilot and
council change times, a page's validity stamp); a different version means the data changed, and
the caller rebuilds and replaces it. The caches are per process and bounded both in items and in
bytes (least recently used goes first), because every distinct search is a distinct feed or page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app

MAX_ENTRIES = 256
MAX_BYTES = 32 * 1024 * 1024


class RenderedCache:
    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, version: str) -> bytes | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != version:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: str, version: str, body: bytes) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._items[key] = (version, body)
            self._bytes += len(body)
            while self._items and (
                len(self._items) > self.max_entries or self._bytes > self.max_bytes
            ):
                _, (_, evicted) = self._items.popitem(last=False)
                self._bytes -= len(evicted)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


def app_cache(name: str, max_entries: int = MAX_ENTRIES) -> RenderedCache:
    """This app's cache called `name`, made on first use."""
    cache = current_app.extensions.get(name)
    if cache is None:
        cache = current_app.extensions.setdefault(name, RenderedCache(max_entries))
    return cache  # type: ignore[no-any-return]
