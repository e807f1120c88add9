"""Idempotency-Key on POST: a retried request gets the first answer again, not a second pilot.

The key is the caller's, per token. The first successful answer is kept with a hash of the
request; the same key with a different request is a conflict (the caller reused a key)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import Response, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.api.models import ApiToken, IdempotentAnswer
from app.api.problems import ApiProblem
from app.extensions import db

MAX_KEY = 200


def _request_hash() -> str:
    return hashlib.sha256(
        f"{request.method} {request.path}\n".encode() + request.get_data()
    ).hexdigest()


def _replay(answer: IdempotentAnswer) -> Response:
    if answer.request_hash != _request_hash():
        raise ApiProblem(
            "conflict", "This Idempotency-Key was used for a different request: use a new key."
        )
    response = Response(answer.body, answer.status, mimetype="application/json")
    if answer.location:
        response.headers["Location"] = answer.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def answer_once(token: ApiToken, act: Callable[[], Response]) -> Response:
    """Run `act` unless this token already sent this Idempotency-Key; keep a success's answer."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return act()
    if len(key) > MAX_KEY:
        raise ApiProblem("bad-query", f"An Idempotency-Key has at most {MAX_KEY} characters.")
    found = db.session.scalar(
        select(IdempotentAnswer).where(
            IdempotentAnswer.token_id == token.id, IdempotentAnswer.key == key
        )
    )
    if found is not None:
        return _replay(found)
    response = act()
    if 200 <= response.status_code < 300:
        db.session.add(
            IdempotentAnswer(
                token_id=token.id,
                key=key,
                request_hash=_request_hash(),
                status=response.status_code,
                body=response.get_data(as_text=True),
                location=response.headers.get("Location", ""),
            )
        )
        try:
            db.session.commit()
        except IntegrityError:  # the same key at the same moment: the other answer stands
            db.session.rollback()
    return response
