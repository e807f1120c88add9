"""gunicorn's settings for Proving Ground, read from the directory it is started in.

The app is loaded once in the master and its templates compiled there, before the workers are
forked: they share the compiled templates and none of them makes its first readers wait.

The workers are gunicorn's default sync workers: one request at a time each. A client that sends
its request slowly holds a whole worker while it does (two such clients held both workers of a
two-worker server for 30 seconds), so gunicorn must sit behind a proxy that reads each request
completely before passing it on: deploy/nginx.conf does (`proxy_request_buffering on`), and it
also takes the response at once and feeds slow readers itself. The settings below assume that.
"""

from typing import Any

preload_app = True

# A worker that has not reported back for this many seconds is killed and replaced. Sync workers
# report only between requests, so this is also the longest any one request may take. Behind
# nginx a request arrives whole, so this bounds the app's own work (the slowest page, a streamed
# export), not a client's speed; nginx's proxy_read_timeout (60 s) is kept longer than it.
timeout = 30

# On a restart or shutdown (SIGHUP, SIGTERM), a worker gets this long to finish the request it is
# serving before it is killed: as long as a request may take, so no save is cut off mid-way.
graceful_timeout = 30

# Sync workers close the connection after each response, so this only matters with another
# worker class; nginx opens a new upstream connection per request anyway (HTTP/1.0 upstream).
# Kept short so that, with a threaded worker, an idle connection never holds a thread for long.
keepalive = 2


def on_starting(server: Any) -> None:
    """Refuse (in production) or warn about rate limits that each worker would count alone."""
    from flask import Flask

    from app.auth.rate_limits import check_limit_storage

    application = server.app.wsgi()
    # Only an app with rate limits (not bench/hello.py's bare Flask, served with this file too).
    if isinstance(application, Flask) and "limiter" in application.extensions:
        check_limit_storage(application, server.cfg.workers, server.log)


def when_ready(server: Any) -> None:
    from flask import Flask

    from app.common.web import compile_templates

    application = server.app.wsgi()
    if isinstance(application, Flask):
        server.log.info("Compiled %d templates", compile_templates(application))
