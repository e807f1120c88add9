"""The API's guide page (/api), its OpenAPI document, and what every API answer goes through."""

from __future__ import annotations

from flask import Response, render_template, request

from app.api.guide import PUBLISH_SCRIPT, READ_EXAMPLES
from app.api.rate_limits import add_rate_limit_headers
from app.api.responses import conditional
from app.api.routes import bp
from app.api.spec import served_text
from app.api.tokens import SCOPES
from app.api.tokens_auth import optional_token, refuse_token_in_query
from app.auth.permissions import PUBLIC, requires


@bp.before_request
def _know_the_token() -> None:
    """Every API request: a token in the address is refused, a bad one in the header too."""
    if request.path.startswith("/api/v1/"):
        refuse_token_in_query()
        optional_token()


@bp.after_request
def _conditional(response: Response) -> Response:
    if not request.path.startswith("/api/v1/"):
        return response
    return add_rate_limit_headers(conditional(response))


@bp.get("/api")
@requires(PUBLIC)
def guide() -> str:
    return render_template(
        "api/guide.html", scopes=SCOPES, read_examples=READ_EXAMPLES, publish_script=PUBLISH_SCRIPT
    )


@bp.get("/api/v1/openapi.json")
def openapi() -> Response:
    return Response(served_text(), mimetype="application/json")
