"""Following the database's change log, so that each server's index keeps in step with saves
made on the others (the log itself, and why its ids are in commit order: app/search/changelog.py).

The index's mark (the newest change it holds) lives in its generation's folder, beside Whoosh's
files: a rebuild writes the mark it started from into the new generation, so the swap that
serves the new generation serves its mark with it. Marks move only under the writer lock, after
the Whoosh commit that applied the changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from app.search.backend import IndexUnavailable
from app.search.documents import SearchDocument
from app.search.whoosh.index import IndexDirectory

WRITE_WAIT_SECONDS = 2.0
Loader = Callable[[set[int]], tuple[list[SearchDocument], set[int]]]


class LoggedChanges(Protocol):
    head: int
    pilot_ids: set[int]
    rebuild: bool


class ChangeSource(Protocol):
    """The change log as an index reads it (changelog.LogReader)."""

    def head(self) -> int:
        """The newest change id."""
        ...

    def after(self, mark: int) -> LoggedChanges:
        """The changes after `mark`, or that the index must be rebuilt."""
        ...


class FallenBehind(RuntimeError):
    """The log no longer holds every change this index lacks: it must be rebuilt."""


class LogFollower:
    """The part of WhooshBackend that applies queued and logged changes."""

    directory: IndexDirectory

    def _drain(self, load: Loader) -> None:
        raise NotImplementedError

    def apply(
        self,
        pilot_ids: set[int],
        load: Loader,
        wait: float = WRITE_WAIT_SECONDS,
        changes: ChangeSource | None = None,
    ) -> bool:
        """Queue the ids, then drain the queue if the writer lock comes within `wait` seconds;
        with `changes`, also the logged changes after the index's mark, and move the mark
        (FallenBehind: only a rebuild will do).

        False means another writer holds the lock; it drains our ids before it lets go."""
        if pilot_ids:
            self.directory.queue(pilot_ids)
        with self.directory.writer_lock(wait) as acquired:
            if acquired:
                if changes is None:
                    self._drain(load)
                else:
                    self._apply_log(changes, load)
            return acquired

    def _apply_log(self, changes: ChangeSource, load: Loader) -> None:
        """Apply the logged changes after the generation's mark, with anything queued, then move
        the mark; raise FallenBehind (queued changes applied first) when only a rebuild will do."""
        try:
            target: Path = self.directory.current_target()
        except IndexUnavailable:
            return  # the rebuild that must come starts from the log's head
        mark = self.directory.applied_change(target)
        found = changes.after(mark)
        if found.rebuild:
            self._drain(load)
            raise FallenBehind(
                f"changes after {mark}, the newest this index holds, are no longer itemised in "
                "the log (pruned, or loaded in bulk)"
            )
        if found.pilot_ids:
            self.directory.queue(found.pilot_ids)
        self._drain(load)
        if found.head > mark and not self.directory.queued_count():  # else the index is damaged
            self.directory.mark_applied(found.head, target)
