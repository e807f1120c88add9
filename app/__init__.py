"""Proving Ground: the cross-council pilot registry.

`create_app` is the contents page: the extensions, each domain's hooks (its own `init_app`), the
blueprints and the command groups. Where a part lives is in the README's architecture section.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import csrf, db, limiter, migrate
from config import load_settings

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings for APP_ENV, extensions, domain hooks, blueprints and commands."""
    app = Flask(__name__, instance_path=None)
    _configure(app, overrides)
    _use_govuk_templates(app)

    from app import models  # noqa: F401  (the whole schema, for Alembic)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    csrf.init_app(app)
    limiter.init_app(app)

    for init_app in _domain_hooks():
        init_app(app)
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    for group in _command_groups():
        app.cli.add_command(group)
    return app


def _domain_hooks() -> Iterable[Callable[[Flask], None]]:
    """Request-wide behaviour first, then each domain's hooks, lowest layer first."""
    from app import alerts, api, appraisal, auth, choosing, funding, pillars, pilots, search
    from app.common import caching, i18n, web

    return (
        web.init_app,
        i18n.init_app,
        caching.init_app,
        auth.init_app,
        pillars.init_app,
        pilots.init_app,
        appraisal.init_app,
        choosing.init_app,
        funding.init_app,
        search.init_app,
        alerts.init_app,
        api.init_app,
    )


def _blueprints() -> Iterable[Blueprint]:
    from app.alerts.routes import bp as alerts
    from app.api.routes import bp as api
    from app.appraisal.routes import bp as appraisal
    from app.auth.account_routes import bp as account
    from app.auth.audit_routes import bp as audit
    from app.auth.people_routes import bp as people
    from app.auth.routes import bp as auth
    from app.choosing.consultation_routes import bp as consultations
    from app.choosing.priorities_routes import bp as priorities
    from app.choosing.routes import bp as choosing
    from app.content.routes import bp as content
    from app.councils.routes import bp as councils
    from app.exports.routes import bp as exports
    from app.feeds.routes import bp as feeds
    from app.feeds.subscribe_routes import bp as subscribe
    from app.funding.routes import bp as funding
    from app.maps.routes import bp as maps
    from app.pillars.routes import bp as pillars
    from app.pilots.routes import bp as pilots
    from app.search.routes import bp as search

    return (
        content,
        councils,
        pillars,
        pilots,
        appraisal,
        auth,
        account,
        audit,
        people,
        funding,
        exports,
        feeds,
        subscribe,
        search,
        choosing,
        priorities,
        consultations,
        maps,
        alerts,
        api,
    )


def _command_groups() -> Iterable[Any]:
    from app.alerts.cli import alerts_cli
    from app.auth.cli import users_cli
    from app.content.cli import demo_cli
    from app.councils.cli import councils_cli
    from app.pilots.cli import history_cli, pilots_cli
    from app.search.cli import search_cli

    return (councils_cli, pilots_cli, history_cli, demo_cli, users_cli, search_cli, alerts_cli)


def _configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.update(load_settings())
    if overrides:
        app.config.update(overrides)
    os.makedirs(app.config["INSTANCE_DIR"], exist_ok=True)
    if hops := app.config.get("TRUSTED_PROXY_HOPS"):
        # The client's own address (for rate limits) and https (for the sign-in's redirect URI).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def _use_govuk_templates(app: Flask) -> None:
    """Our templates first, then GOV.UK Frontend's macros and the WTForms widgets for them."""
    from govuk_frontend_wtf.main import WTFormsHelpers

    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("app"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
