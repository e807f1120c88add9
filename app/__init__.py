"""Proving Ground: the cross-council pilot registry."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import csrf, db, limiter, migrate
from config import load_settings


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings for APP_ENV, extensions, blueprints, commands and error pages."""
    app = Flask(__name__, instance_path=None)
    app.config.update(load_settings())
    if overrides:
        app.config.update(overrides)
    os.makedirs(app.config["INSTANCE_DIR"], exist_ok=True)
    if hops := app.config.get("TRUSTED_PROXY_HOPS"):
        # The client's own address (for rate limits) and https (for the sign-in's redirect URI).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

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

    from app import models  # noqa: F401  (the whole schema, for Alembic)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)

    from govuk_frontend_wtf.main import WTFormsHelpers

    WTFormsHelpers(app)

    from app.common import page_cache, web

    web.init_app(app)
    from app.common import i18n

    i18n.init_app(app)
    page_cache.init_app(app)
    from app.common.generation import private_when
    from app.pilots.drafts import only_a_draft

    private_when(only_a_draft)

    from app.auth.routes import bp as auth_bp
    from app.content.routes import bp as content_bp
    from app.councils.routes import bp as councils_bp
    from app.pillars.routes import bp as pillars_bp
    from app.pilots.routes import bp as pilots_bp

    for blueprint in (content_bp, councils_bp, pillars_bp, pilots_bp, auth_bp):
        app.register_blueprint(blueprint)
    from app.auth.account_routes import bp as account_bp

    app.register_blueprint(account_bp)

    from app.pilots.tracker_routes import bp as tracker_bp

    app.register_blueprint(tracker_bp)
    from app.exports.routes import bp as exports_bp
    from app.funding.routes import bp as funding_bp

    app.register_blueprint(funding_bp)
    from app.funding.reporting import report_due_days_by_pilot

    # Programmes' report conditions override the registry default in the tracker's due dates.
    app.extensions["report_due_days_source"] = report_due_days_by_pilot
    app.register_blueprint(exports_bp)

    from app.feeds.routes import bp as feeds_bp

    app.register_blueprint(feeds_bp)

    from app.search import sync
    from app.search.routes import bp as search_bp

    app.register_blueprint(search_bp)
    sync.install()

    from app.auth.cli import users_cli
    from app.content.cli import demo_cli
    from app.councils.cli import councils_cli
    from app.pilots.cli import pilots_cli

    for group in (councils_cli, pilots_cli, demo_cli, users_cli):
        app.cli.add_command(group)

    from app.pilots.cli import history_cli

    app.cli.add_command(history_cli)
    from app.search.cli import search_cli

    app.cli.add_command(search_cli)

    return app
