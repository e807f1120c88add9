"""PostgreSQL tells each worker when the content generation changes (LISTEN/NOTIFY), so a stored
page is served without a round trip to the database first.

Each writing transaction sends the new token with pg_notify; PostgreSQL delivers it when, and only
if, the transaction commits, in commit order. A daemon thread per worker process listens on its
own connection and keeps the newest token. While it is not connected (at start, after the server
dropped it) it knows no token and readers ask the database as before; after a commit in this
process the token is forgotten until the notice arrives, so a worker always sees its own writes.
A page can be served stale only for the moment a notice takes to arrive from another worker, and
the token is read afresh after every WAIT_SECONDS without a notice, whatever happened.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

import psycopg

log = logging.getLogger(__name__)
CHANNEL = "content_generation"
APPLICATION_NAME = "proving-ground-generation-listener"  # how the server lists its connection
WAIT_SECONDS = 5.0  # how long one wait for notices lasts before the thread looks up again
RETRY_SECONDS = 1.0
# A dead peer (no FIN: a failover, a network partition) is noticed within about 25 s.
KEEPALIVE: dict[str, Any] = {
    "connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
    "keepalives_count": 3,
}  # fmt: skip
_listeners: dict[tuple[int, str], GenerationListener] = {}
_guard = threading.Lock()


class GenerationListener:
    """The newest content generation token this process has been told of, or None."""

    def __init__(self, conninfo: str, read_token: str) -> None:
        self.conninfo = conninfo
        self.read_token = read_token  # SQL that reads the token, run once connected
        self._token: str | None = None
        self._awaited: str | None = None  # our own commit's token, until its notice comes
        self._forgotten = 0  # how many times forget() was called: a read older than one is stale
        self.connected = threading.Event()
        self.connections = 0  # how many times it has connected (a test watches it reconnect)
        threading.Thread(target=self._listen, name="generation-listener", daemon=True).start()

    def token(self) -> str | None:
        return self._token

    def forget(self, until: str) -> None:
        """A commit here made `until` the token: ask the database until its notice arrives
        (an older notice still on its way must not stand in for it)."""
        self._forgotten += 1
        self._awaited = until
        self._token = None

    def _read(self, token: str | None, forgotten_before: int) -> None:
        """The database's token, read after `forgotten_before` forgets: it is at least as new as
        any commit this process had made by then, so it ends the wait for one of them. (Our
        commit's notice can arrive between the commit and its forget(), and is then missed.)"""
        if self._forgotten != forgotten_before:
            return  # a commit here since the read began: the value may be older than it
        self._awaited = None
        self._token = token

    def _heard(self, token: str | None) -> None:
        if self._awaited is not None:
            if token != self._awaited:
                return
            self._awaited = None
        self._token = token

    def _listen(self) -> None:
        while True:
            try:
                with psycopg.connect(
                    self.conninfo, autocommit=True, application_name=APPLICATION_NAME, **KEEPALIVE
                ) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._awaited = None
                    self.connections += 1
                    self.connected.set()
                    while True:
                        # Read after LISTEN: a commit in between is also noticed. Read again
                        # after each quiet wait: a connection that died without a word (a
                        # failover, a pooler that drops LISTEN) fails here, or is corrected.
                        forgotten = self._forgotten
                        row = connection.execute(self.read_token).fetchone()
                        self._read(row[0] if row else None, forgotten)
                        for notice in connection.notifies(timeout=WAIT_SECONDS):
                            self._heard(notice.payload or None)
            except Exception:
                log.warning("Lost the content generation notices; asking the database meanwhile")
            self.connected.clear()
            self._token = None
            time.sleep(RETRY_SECONDS)


def listener_for(conninfo: str, read_token: str, start: bool = True) -> GenerationListener | None:
    """This process's listener for the database at `conninfo` (a forked worker starts its own);
    with `start` False, only one already listening (None if there is none)."""
    key = (os.getpid(), conninfo)
    listener = _listeners.get(key)
    if listener is None and start:
        with _guard:
            listener = _listeners.get(key)
            if listener is None:
                listener = _listeners[key] = GenerationListener(conninfo, read_token)
    return listener
