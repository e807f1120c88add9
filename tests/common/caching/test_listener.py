"""On PostgreSQL each worker hears of a new content generation by LISTEN/NOTIFY, so a stored page
is served with no query; its own commits are seen at once, and a lost connection falls back to
asking the database until it is back."""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg
import pytest
from sqlalchemy import select

from app.common.caching import generation
from app.common.caching.listener import APPLICATION_NAME, CHANNEL, GenerationListener
from app.extensions import db
from app.search.postgres_backend import PostgresBackend
from app.search.query import parse_query
from tests.common.caching.test_page_cache import queries_for
from tests.factories import create_pilot

pytestmark = pytest.mark.postgres_only
WAIT_SECONDS = 15.0


def eventually(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "the listener never caught up"
        time.sleep(0.02)


def connected_listener() -> GenerationListener:
    listener = generation._listener()
    assert listener is not None
    assert listener.connected.wait(WAIT_SECONDS)
    return listener


def database_token() -> str | None:
    return db.session.scalar(select(generation.ContentGeneration.token))


def another_worker_commits(listener: GenerationListener, token: str) -> None:
    """What another worker's writing transaction does, on a connection of its own."""
    with psycopg.connect(listener.conninfo) as connection:
        connection.execute("UPDATE content_generation SET token = %s WHERE id = 1", (token,))
        connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, token))


def test_another_workers_commit_arrives_by_notice_and_costs_no_query(app_ctx):
    create_pilot()  # the generation row exists
    listener = connected_listener()
    another_worker_commits(listener, "from-another-worker")
    eventually(lambda: listener.token() == "from-another-worker")
    token, count = queries_for(app_ctx, generation.current_generation)
    assert (token, count) == ("from-another-worker", 0)


def test_this_workers_own_commit_is_seen_at_once(app_ctx):
    listener = connected_listener()
    create_pilot()  # commits a new token; its notice may not have arrived yet
    assert generation.current_generation() == database_token()
    eventually(lambda: listener.token() == database_token())


def test_an_older_notice_does_not_stand_in_for_this_workers_own_commit(app_ctx):
    create_pilot()
    listener = connected_listener()
    listener.forget(until="ours")
    listener._heard("older, from another worker")
    assert listener.token() is None  # still asking the database
    listener._heard("ours")
    assert listener.token() == "ours"


def test_read_only_text_queries_leave_the_generation(app_ctx):
    pilot = create_pilot(title="Chatbot for council tax")
    before = database_token()
    # PostgreSQL search's snippets are a text() SELECT: a commit after them (a signed-in user's
    # last-seen time, say) must not empty every worker's cache.
    snippets = PostgresBackend(db.session).snippets(parse_query("chatbot"), {pilot.id: "chatbot"})
    assert snippets
    db.session.commit()
    assert database_token() == before


def test_a_dropped_listener_asks_the_database_until_it_reconnects(app_ctx):
    create_pilot()
    listener = connected_listener()
    before = listener.connections
    with psycopg.connect(listener.conninfo, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = %s AND datname = current_database()",
            (APPLICATION_NAME,),
        )
    create_pilot(title="Saved while the listener was away")
    assert generation.current_generation() == database_token()  # asked the database
    eventually(lambda: listener.connections > before and listener.connected.is_set())
    another_worker_commits(listener, "after-the-reconnect")
    eventually(lambda: listener.token() == "after-the-reconnect")


def test_a_notice_that_came_before_its_own_forget_is_made_good_by_the_next_read(app_ctx):
    """Our commit's notice can reach the listener between the commit and the forget() that
    follows it; the next read of the database must end the wait rather than leave the worker
    asking the database for ever."""
    create_pilot()
    listener = connected_listener()
    listener._heard("ours")  # the notice, early
    before = listener._forgotten
    listener.forget(until="ours")  # then the forget, waiting for a notice already gone
    listener._heard("from-another-worker")
    assert listener.token() is None
    listener._read("from-another-worker", before)  # a read begun before the forget: stale
    assert listener.token() is None
    listener._read("from-another-worker", listener._forgotten)  # the next read
    assert listener.token() == "from-another-worker"
