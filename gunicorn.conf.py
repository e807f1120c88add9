"""gunicorn's settings for Proving Ground, read from the directory it is started in.

The app is loaded once in the master and its templates compiled there, before the workers are
forked: they share the compiled templates and none of them makes its first readers wait.
"""

from typing import Any

preload_app = True


def when_ready(server: Any) -> None:
    from flask import Flask

    from app.common.web import compile_templates

    application = server.app.wsgi()
    if isinstance(application, Flask):
        server.log.info("Compiled %d templates", compile_templates(application))
