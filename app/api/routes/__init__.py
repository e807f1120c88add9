"""The JSON API's routes (/api/v1/…), its documentation page (/api) and the council's API
tokens page. One blueprint; modules by what the caller is doing."""

from __future__ import annotations

from flask import Blueprint

from app.api.rate_limits import limit_api

bp = Blueprint("api", __name__)
limit_api(bp)

from app.api.routes import docs, read, tokens, write  # noqa: E402,F401  (they add their views to bp)
