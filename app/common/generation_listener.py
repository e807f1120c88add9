"""PostgreSQL tells each worker when the content generation changes (LISTEN/NOTIFY), so a stored
page is served without a round trip to the database first.

Each writing transaction sends the new token with pg_notify; PostgreSQL delivers it when, and only
if, the transaction commits, in commit order. A daemon thread per worker process listens on its
own connection and keeps the newest token. While it is not connected (at start, after the server
dropped it) it knows no token and readers ask the database as before; after a commit in this
process the token is forgotten until the notice arrives, so a worker always sees its own writes.
A page can be served stale only for the moment a notice takes to arrive from another worker.
"""

from __future__ import annotations

import logging
import os
import threading
import time

import psycopg

log = logging.getLogger(__name__)
CHANNEL = "content_generation"
APPLICATION_NAME = "proving-ground-generation-listener"  # how the server lists its connection
WAIT_SECONDS = 5.0  # how long one wait for notices lasts before the thread looks up again
RETRY_SECONDS = 1.0
_listeners: dict[tuple[int, str], GenerationListener] = {}
_guard = threading.Lock()


class GenerationListener:
    """The newest content generation token this process has been told of, or None."""

    def __init__(self, conninfo: str, read_token: str) -> None:
        self.conninfo = conninfo
        self.read_token = read_token  # SQL that reads the token, run once connected
        self._token: str | None = None
        self.connected = threading.Event()
        threading.Thread(target=self._listen, name="generation-listener", daemon=True).start()

    def token(self) -> str | None:
        return self._token

    def forget(self) -> None:
        """A commit here changed the token: ask the database until its notice arrives."""
        self._token = None

    def _listen(self) -> None:
        while True:
            try:
                with psycopg.connect(
                    self.conninfo, autocommit=True, application_name=APPLICATION_NAME
                ) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    # Read after LISTEN: a commit in between is also noticed, nothing is missed.
                    row = connection.execute(self.read_token).fetchone()
                    self._token = row[0] if row else None
                    self.connected.set()
                    while True:
                        for notice in connection.notifies(timeout=WAIT_SECONDS):
                            self._token = notice.payload or None
            except Exception:
                log.warning("Lost the content generation notices; asking the database meanwhile")
            self.connected.clear()
            self._token = None
            time.sleep(RETRY_SECONDS)


def listener_for(conninfo: str, read_token: str) -> GenerationListener:
    """This process's listener for the database at `conninfo` (a forked worker starts its own)."""
    key = (os.getpid(), conninfo)
    listener = _listeners.get(key)
    if listener is None:
        with _guard:
            listener = _listeners.get(key)
            if listener is None:
                listener = _listeners[key] = GenerationListener(conninfo, read_token)
    return listener
