"""The Whoosh index on disk: generations swapped in atomically, one writer at a time.

Layout of SEARCH_INDEX_DIR:
  current      symlink to the generation being served (swapped with an atomic rename)
  gen-*/       index generations; a rebuild writes a new one beside the old
  write.lock   flock held by whoever writes, so several worker processes never collide
  pending/     one small file per committed change not yet applied; whoever holds the lock
               drains them, so a worker that cannot get the lock in time loses nothing
  gen-*/applied-change
               the newest id of the database's change log (app/search/changelog.py) that the
               generation holds; written after the Whoosh commit that applied it, so a crash
               in between only applies a change twice
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import shutil
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from app.search.backend import IndexUnavailable
from app.search.documents import SearchDocument

NO_COST = 2**62  # sorts pilots without a cost after every priced one
APPLIED_CHANGE = "applied-change"


def text_analyzer() -> object:
    """English words, stop words dropped, Snowball-stemmed like PostgreSQL's 'english'."""
    # An unbounded dict cache: Whoosh's default LFU cache costs more than the stemming it saves.
    return RegexTokenizer() | LowercaseFilter() | StopFilter() | StemFilter(lang="en", cachesize=-1)


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        digest=STORED(),
        content=TEXT(analyzer=text_analyzer(), phrase=True),
        spelling=TEXT(analyzer=RegexTokenizer() | LowercaseFilter(), phrase=False),
        pillar=KEYWORD(commas=True),
        council=KEYWORD(commas=True),
        programme=KEYWORD(commas=True),
        region=ID(),
        council_type=ID(),
        status=ID(),
        verdict=ID(),
        cost=ID(),
        year=ID(),
        # Only sorted on, never searched: a column alone. (NUMERIC would also index sixteen
        # terms a value for range queries, a third of a rebuild's postings outside `content`.)
        cost_pence=COLUMN(NumericColumn("q")),
        updated=COLUMN(NumericColumn("q")),
    )


def document_fields(doc: SearchDocument) -> dict[str, object]:
    # The title three times weights it above the rest in one field: one posting list a word
    # keeps queries fast, where a separate boosted title field would double the lists read.
    content = "\n".join([doc.title] * 3 + [doc.high, doc.body])
    return {
        "id": str(doc.pilot_id),
        "digest": doc.digest,
        "content": content,
        "spelling": f"{doc.title}\n{doc.tags}",
        "pillar": ",".join(doc.pillars),
        "council": ",".join(doc.councils),
        "programme": ",".join(doc.programmes),
        "region": doc.region,
        "council_type": doc.council_type,
        "status": doc.status,
        "verdict": doc.verdict,
        "cost": doc.cost_band,
        "year": doc.start_year,
        "cost_pence": doc.cost_pence if doc.cost_pence >= 0 else NO_COST,
        "updated": int(doc.updated_at.timestamp() * 1000) if doc.updated_at else 0,
    }


class IndexDirectory:
    """Where the generations live, which one is current, and the writer lock."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.current = self.root / "current"
        self.pending = self.root / "pending"
        self.lock_path = self.root / "write.lock"

    def prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.pending.mkdir(exist_ok=True)

    def current_target(self) -> Path:
        try:
            return self.root / os.readlink(self.current)
        except OSError as error:
            raise IndexUnavailable(f"no index in {self.root}") from error

    def open(self) -> whoosh_index.Index:
        target = self.current_target()
        # Whoosh leaves the file it failed to read open until its traceback goes: quietly.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                index = whoosh_index.open_dir(str(target))
            except Exception as error:  # any unreadable index: missing files, bad TOC, pickle
                message = f"index in {target} cannot be read: {error!r}"
            else:
                missing = set(make_schema().names()) - set(index.schema.names())
                if not missing:
                    return index
                # Built by an older release: rebuilt like an unreadable one, not written to.
                index.close()
                message = f"index in {target} lacks the fields {', '.join(sorted(missing))}"
            gc.collect()
        raise IndexUnavailable(message)

    @contextlib.contextmanager
    def writer_lock(self, timeout: float) -> Iterator[bool]:
        """Yield True holding the exclusive writer lock, or False after `timeout` seconds."""
        self.prepare()
        handle = open(self.lock_path, "a+")  # noqa: SIM115 (held across the yield)
        deadline = time.monotonic() + timeout
        acquired = False
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    acquired = True
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(0.01)
            yield acquired
        finally:
            if acquired:
                fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def applied_change(self, target: Path | None = None) -> int:
        """The newest logged change the generation holds (0: none recorded, or no index)."""
        try:
            folder = target or self.current_target()
            return int((folder / APPLIED_CHANGE).read_text())
        except (OSError, ValueError, IndexUnavailable):
            return 0

    def mark_applied(self, change_id: int, target: Path) -> None:
        """Record, whole or not at all, that the generation holds every change to `change_id`."""
        temporary = target / f".{APPLIED_CHANGE}.{uuid.uuid4().hex[:8]}.tmp"
        temporary.write_text(str(change_id))
        os.replace(temporary, target / APPLIED_CHANGE)

    def queue(self, pilot_ids: set[int]) -> None:
        """Record ids to (re)index, atomically: a reader sees the whole file or none of it."""
        self.prepare()
        name = f"{time.time_ns()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        temporary = self.pending / f".{name}.tmp"
        temporary.write_text(json.dumps(sorted(pilot_ids)))
        os.replace(temporary, self.pending / f"{name}.ids")

    def queued_count(self) -> int:
        return sum(1 for _ in self.pending.glob("*.ids")) if self.pending.is_dir() else 0

    def queued(self) -> tuple[list[Path], set[int]]:
        files = sorted(self.pending.glob("*.ids")) if self.pending.is_dir() else []
        ids: set[int] = set()
        for path in files:
            with contextlib.suppress(OSError, ValueError):
                ids.update(int(i) for i in json.loads(path.read_text()))
        return files, ids

    def new_generation(self) -> Path:
        self.prepare()
        path = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        return path

    def swap_to(self, generation: Path) -> None:
        """Point `current` at the new generation in one rename; readers see old or new."""
        link = self.root / f".current-{uuid.uuid4().hex[:8]}"
        os.symlink(generation.name, link)
        os.replace(link, self.current)

    def remove_old_generations(self, previous: Path | None) -> None:
        """Remove every generation but the current one and `previous`, the one served before it
        (open readers may still use it); abandoned, never-served rebuilds go too."""
        try:
            current = self.current_target().name
        except IndexUnavailable:
            current = ""
        keep = {current, previous.name if previous else ""}
        for path in self.root.glob("gen-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)
