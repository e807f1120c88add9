"""The OpenAPI 3.1 document, generated from the code by spectree.

Each /api/v1 view is decorated with `api_spec.validate(...)`: spectree checks the query and body
against the pydantic models of inputs.py before the view runs (a failure becomes a problem+json
through `refuse_invalid_request`) and each response against the models of schemas.py after it.
`document()` walks the app's URL map for those views and adds what spectree does not know: the
problem+json media type of errors, the bearer token scheme and the ETag headers. The document is
committed as app/api/openapi.json (`make openapi` writes it) and a test fails when the served
one differs, so a change to the API shows in review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import current_app
from spectree import SecurityScheme, SpecTree
from spectree.models import SecureType, SecuritySchemeData
from spectree.plugins.flask_plugin import FlaskPlugin

from app.api.problems import ApiProblem, FieldError
from app.api.schemas import Problem

COMMITTED = Path(__file__).with_name("openapi.json")
PATH_SEGMENT = r"^[^\x00-\x1f\x7f-\x9f/]+$"
TITLE = "Proving Ground API"
VERSION = "1.0.0"
DESCRIPTION = (
    "The cross-council pilot registry's open data, and a write API for councils' own systems. "
    "Reading needs no sign-in. Writing needs a council's API token, sent as "
    "`Authorization: Bearer pg_…` (never in the query string). Errors are RFC 9457 problem "
    "details with a stable `type` for each kind. Every GET answers with an ETag and a 304 to "
    "a matching If-None-Match."
)


def refuse_invalid_request(
    request: Any, response: Any, error: Any, instance: Any, adapter: Any
) -> None:
    """spectree's `before` hook: a query or body that its model refuses becomes a problem, with
    every field's error (a bad query parameter is a bad-query, a bad body a validation)."""
    if error is None:
        return
    errors = [
        FieldError(".".join(str(part) for part in item["loc"]) or "body", item["msg"])
        for item in error.errors()
    ]
    kind = "bad-query" if error.title.endswith("Query") else "validation"
    unknown = [item for item in error.errors() if item["type"] == "literal_error"]
    if kind == "bad-query" and unknown:  # a pillar, status, verdict or cost band that is not one
        name, value = ".".join(map(str, unknown[0]["loc"])), unknown[0]["input"]
        detail = f"There is no {name} {value!r}: the API's document lists the values."
        raise ApiProblem("unknown-filter-value", detail, errors)
    raise ApiProblem(kind, "Check the fields listed in errors.", errors)


def validates_responses() -> bool:
    """Check each answer against its schema? In tests and development (and wherever
    API_VALIDATE_RESPONSES says so), never by default in production: the check re-reads the
    whole body through pydantic (a fifth of a page of 100 pilots) and the tests and
    schemathesis have already held every answer to the document."""
    setting = current_app.config.get("API_VALIDATE_RESPONSES")
    if setting is None:
        return bool(current_app.testing or current_app.debug)
    return bool(setting)


class ResponseCheckingPlugin(FlaskPlugin):
    """spectree's Flask plugin, checking requests always and responses when asked to."""

    def validate_response(
        self, resp: Any, resp_model: Any, skip_validation: bool, force_resp_serialize: bool
    ) -> Any:
        skip = skip_validation or not validates_responses()
        return super().validate_response(resp, resp_model, skip, force_resp_serialize)


api_spec = SpecTree(
    "flask",
    backend=ResponseCheckingPlugin,
    mode="strict",
    title=TITLE,
    version=VERSION,
    description=DESCRIPTION,
    path="api/v1/_spectree",  # spectree's own pages are never registered (they load scripts)
    page_templates={},
    validation_error_status=422,
    validation_error_model=Problem,
    before=refuse_invalid_request,
    security_schemes=[
        SecurityScheme(
            name="token",
            data=SecuritySchemeData(
                type=SecureType.HTTP,
                scheme="bearer",
                description="A council's API token (pg_…), from the council's API tokens page",
            ),
        )
    ],
)


def document() -> dict[str, Any]:
    """The OpenAPI document for the app in context: spectree's, with problem+json errors."""
    spec = json.loads(json.dumps(api_spec._generate_spec()))  # a fresh copy, never cached
    spec["servers"] = [{"url": "/"}]
    spec.pop("security", None)
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":  # as the edge refuses them (control_characters.py)
                    parameter["schema"]["pattern"] = PATH_SEGMENT
                parameter.pop("description", None) if not parameter.get("description") else None
            if not operation.get("description"):
                operation.pop("description", None)
            for status, answer in operation["responses"].items():
                content = answer.get("content", {})
                if status.startswith(("4", "5")) and "application/json" in content:
                    answer["content"] = {"application/problem+json": content["application/json"]}
    return spec


def document_text() -> str:
    return json.dumps(document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def committed_text() -> str:
    return COMMITTED.read_text(encoding="utf-8")


def served_text() -> str:
    """What /api/v1/openapi.json sends: the document built from this app's own routes."""
    cached = current_app.extensions.get("api_openapi_text")
    if cached is None:
        cached = current_app.extensions["api_openapi_text"] = document_text()
    return cached
