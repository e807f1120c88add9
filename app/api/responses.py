"""JSON answers of the API, and the conditional GET every read answers with.

Each GET's ETag is the hash of the body it sends, so it changes exactly when what a reader sees
changes, and a reader who sends it back as If-None-Match gets a 304 with no body. A write's
If-Match is compared with the same ETag of the pilot's representation (writing.py)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response, request


def body_bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def etag_of(body: dict[str, Any]) -> str:
    return hashlib.sha256(body_bytes(body)).hexdigest()[:32]


def json_response(body: dict[str, Any], status: int = 200, **headers: str) -> Response:
    response = Response(body_bytes(body), status, mimetype="application/json")
    response.headers.update(headers)
    return response


def conditional(response: Response) -> Response:
    """ETag on every successful GET, and a 304 when the reader already has this body."""
    if request.method in ("GET", "HEAD"):
        # A council's token reads its own drafts: a cache must not hand them to anyone else.
        response.vary.add("Authorization")
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        if not response.get_etag()[0]:
            response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.make_conditional(request)
    return response
