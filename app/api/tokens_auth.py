"""Who is calling the API: a council's token from the Authorization header, or nobody.

Tokens travel in `Authorization: Bearer …` alone. One in the query string would end up in access
logs, browser history and Referer headers, so any request that carries one there is refused
whether it is valid or not. The write API takes no cookie, which is why (and only where)
`requires_token` exempts a view from CSRF: a cross-site page cannot set the header."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import request

from app.api.models import ApiToken
from app.api.problems import ApiProblem
from app.api.tokens import PREFIX, SCOPES, token_for_secret
from app.auth.audit import ACTING_VIA
from app.extensions import csrf

F = TypeVar("F", bound=Callable[..., Any])
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="proving-ground"'}
_KEY = "proving_ground.api_token"
# A pilot with every field at its longest is about 60 KiB of JSON.
MAX_BODY = 256 * 1024
_QUERY_NAMES = ("access_token", "token", "api_key", "apikey", "key", "bearer")


def refuse_token_in_query() -> None:
    """A token (or a parameter named for one) in the query string: refused, never read."""
    for name, value in request.args.items(multi=True):
        if name.lower() in _QUERY_NAMES or PREFIX in value:
            raise ApiProblem(
                "unauthorised",
                "Send the token in the Authorization header (Bearer), never in the address.",
                headers=CHALLENGE,
            )


def optional_token() -> ApiToken | None:
    """The request's token, None when it sends none; a bad one is refused (401), never ignored."""
    # Kept on the request, not in g: the tests' app context outlives a request.
    if _KEY in request.environ:
        token: ApiToken | None = request.environ[_KEY]
        return token
    header = request.headers.get("Authorization")
    token = None
    if header is not None:
        scheme, _, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise ApiProblem(
                "unauthorised", "Send the token as Authorization: Bearer pg_…", headers=CHALLENGE
            )
        token = token_for_secret(secret.strip())
        if token is None:
            raise ApiProblem(
                "unauthorised",
                "The token is not valid: it may be mistyped, revoked or expired.",
                headers=CHALLENGE,
            )
    request.environ[_KEY] = token
    return token


def current_token() -> ApiToken:
    token = optional_token()
    if token is None:
        raise ApiProblem(
            "unauthorised", "Send a council's API token as Authorization: Bearer pg_…",
            headers=CHALLENGE,
        )  # fmt: skip
    return token


def requires_token(scope: str) -> Callable[[F], F]:
    """Declare and check the scope a write route needs: 401 without a live token, 403 when the
    token lacks the scope. The route walk and the permission matrix read `permission`."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            token = current_token()
            if scope not in token.scope_list:
                raise ApiProblem("forbidden", f"This token does not have the {scope} scope.")
            if (request.content_length or 0) > MAX_BODY:
                raise ApiProblem("too-large", f"Send at most {MAX_BODY // 1024} KiB.")
            request.environ[ACTING_VIA] = f"API token {token.name!r} ({token.council.code})"
            return view(*args, **kwargs)

        wrapped.permission = f"token:{scope}"  # type: ignore[attr-defined]
        wrapped.token_scope = scope  # type: ignore[attr-defined]
        csrf.exempt(wrapped)
        return wrapped  # type: ignore[return-value]

    return decorate
