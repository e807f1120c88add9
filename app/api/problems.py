"""Errors of the JSON API as RFC 9457 problem details (`application/problem+json`).

Each kind of error has one stable `type`, an address under /api/v1/problems/, so that a client
can branch on it whatever the wording of `title` or `detail` becomes. Only /api/ paths answer so;
the HTML error pages stay as they are for everything else (app/common/web.py asks
`problem_response` first through its error-responder hook)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import Response, request

PROBLEM_TYPES_BASE = "/api/v1/problems/"

# kind → (HTTP status, title). The kinds are part of the API: add, never rename.
KINDS: dict[str, tuple[int, str]] = {
    "unknown-filter-value": (400, "A filter has a value the registry does not know"),
    "bad-query": (400, "The request cannot be understood"),
    "validation": (422, "Some fields are not valid"),
    "unauthorised": (401, "A valid API token is needed"),
    "forbidden": (403, "This token may not do that"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "That method is not allowed here"),
    "conflict": (409, "The request conflicts with the resource's state"),
    "precondition-failed": (412, "The resource has changed since you read it"),
    "too-large": (413, "The request body is too large"),
    "unsupported-media-type": (415, "Send the body as application/json"),
    "precondition-required": (428, "Send If-Match with the ETag you read"),
    "rate-limited": (429, "Too many requests"),
    "server-error": (500, "Sorry, there is a problem with the service"),
    "unavailable": (503, "Sorry, the service is unavailable"),
}
_BY_STATUS = {
    400: "bad-query",
    401: "unauthorised",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "precondition-failed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "validation",
    428: "precondition-required",
    429: "rate-limited",
    500: "server-error",
    503: "unavailable",
}


@dataclass
class FieldError:
    """One field's problem: `field` is a JSON pointer-like dotted path (`measures.0.target`)."""

    field: str
    detail: str


@dataclass
class ApiProblem(Exception):
    """Raised anywhere below an /api/ route; answered as problem+json by `problem_response`."""

    kind: str
    detail: str = ""
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown problem kind {self.kind!r}")
        super().__init__(self.detail or KINDS[self.kind][1])


def is_api_request() -> bool:
    return request.path == "/api/v1" or request.path.startswith("/api/v1/")


def problem_body(kind: str, detail: str = "", errors: list[FieldError] | None = None) -> dict:
    status, title = KINDS[kind]
    body: dict[str, Any] = {
        "type": PROBLEM_TYPES_BASE + kind,
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.path,
    }
    if errors:
        body["errors"] = [{"field": e.field, "detail": e.detail} for e in errors]
    return body


def problem_response(
    kind: str,
    detail: str = "",
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = problem_body(kind, detail, errors)
    response = Response(
        json.dumps(body, ensure_ascii=False), body["status"], mimetype="application/problem+json"
    )
    response.headers.update(headers or {})
    return response


def kind_for_status(status: int) -> str:
    """The kind of an HTTP error raised by Flask or Werkzeug (an unknown route, a 413, ...)."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return "bad-query" if status < 500 else "server-error"
