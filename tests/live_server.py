"""The app served by real server threads on loopback, for tests that need two requests at once
(a double click): each request has its own thread, app context and database connection."""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import requests
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.conftest import app_overrides
from tests.faults.gunicorn_server import csrf_token, signed_in_session

T = TypeVar("T")


@contextlib.contextmanager
def live_server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A development app (it has the development sign-in) with CSRF on, on a free loopback port;
    yields its address."""
    settings = app_overrides(database_url, tmp_path)
    settings.pop("SERVER_NAME")
    settings.update(
        APP_ENV="development",
        TESTING=False,
        WTF_CSRF_ENABLED=True,
        SECRET_KEY=secrets.token_hex(32),
    )
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def at_once(*calls: Callable[[], T]) -> list[T]:
    """Run the calls in threads released together by a barrier; their results in order (an
    exception in one is raised here)."""
    barrier = threading.Barrier(len(calls))
    results: list[T | BaseException | None] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except BaseException as error:  # re-raised below, in the test's thread
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


def double_submits(
    database_url: str, tmp_path: Path, user_id: int, path: str, forms: list[dict], page: str = ""
) -> list[list[requests.Response]]:
    """Each form posted to `path` twice at once, as a double click sends it (one browser's
    cookies and CSRF token, from the form's `page`, else `path`), by the user on a live server;
    the pair of responses for each form."""
    with live_server(database_url, tmp_path) as url:
        sessions = signed_in_twice(url, user_id)
        return [double_submit(sessions, url + path, url + (page or path), form) for form in forms]


def double_submit(
    sessions: tuple[requests.Session, requests.Session], url: str, form_page: str, data: dict
) -> list[requests.Response]:
    """The same form, with the same CSRF token, posted twice at once: a double click."""
    token = csrf_token(sessions[0].get(form_page, timeout=10).text)
    sessions[1].cookies.clear()
    sessions[1].cookies.update(sessions[0].cookies)  # the page may have renewed the session
    post = {**data, "csrf_token": token}
    return at_once(
        *(
            lambda s=session: s.post(url, data=post, allow_redirects=False, timeout=30)
            for session in sessions
        )
    )


def signed_in_twice(url: str, user_id: int) -> tuple[requests.Session, requests.Session]:
    """One browser's cookies in two connections, as a double click sends them."""
    first = signed_in_session(url, user_id)
    second = requests.Session()
    second.cookies.update(first.cookies)
    return first, second
