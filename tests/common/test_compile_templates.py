"""gunicorn's master compiles every template before it forks; each must compile."""

from __future__ import annotations

from flask import Flask

from app.common.web import compile_templates


def test_every_template_compiles_before_the_workers_start(app: Flask):
    compiled = compile_templates(app)
    assert compiled >= 40
    cached = {name for _, name in app.jinja_env.cache}  # type: ignore[union-attr]
    assert {"pilots/pilot.html", "govuk_frontend_jinja/template.html"} <= cached
