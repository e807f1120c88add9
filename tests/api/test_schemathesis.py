"""schemathesis against the committed OpenAPI document, through the WSGI app: every operation,
without a token and with one of a council's, on whichever database the run uses. No answer may
be a 5xx, and every answer must match the document (status, content type, headers, body).

Kept short (API_FUZZ_EXAMPLES cases an operation, a few seconds in all) so it fits in
`make test`; raise it locally to search harder."""

from __future__ import annotations

import functools
import json
import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.api.spec import committed_text
from tests.api.conftest import bearer

# Not checked: that every schema-valid request is accepted. Some values must name something that
# exists (a funding programme, a council) and some rules span fields (a start before an end),
# which no schema says; those are refused with a documented 400 or 422, and the answer is still
# checked against the document like every other.
from tests.factories import create_council, create_registered_pilot

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))


@functools.cache
def _schema() -> Any:
    """Loaded once for the module: building its validators is most of the run's time."""
    return schemathesis.openapi.from_dict(json.loads(committed_text()))


def _run_every_operation(app: Any, headers: dict[str, str]) -> tuple[int, int]:
    schema = _schema()
    schema.app = app
    operations = 0
    calls: list[Any] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            calls.append(case)
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()
    return operations, len(calls)


@pytest.mark.parametrize("with_token", [False, True], ids=["anonymous", "council token"])
def test_every_operation_answers_as_documented(app_ctx, whoosh, make_token, with_token, capsys):
    council = create_council(code="KEC")
    create_registered_pilot(council)
    headers = bearer(make_token(council)) if with_token else {}
    operations, cases = _run_every_operation(app_ctx, headers)
    assert operations == len(
        [m for path in json.loads(committed_text())["paths"].values() for m in path]
    )
    with capsys.disabled():
        print(f"\nschemathesis: {operations} operations, {cases} cases", end="")
