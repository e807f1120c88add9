"""The council, its people and a round set up through the web, for the choosing tests; and
a council that consults its residents (`consulting`)."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from app.auth.models import User
from app.councils.models import Council
from tests.factories import create_consultation, create_council, create_user

CRITERIA = (
    "Resident need | 3 | higher | None shown; Some; Clear; Strong; Urgent\n"
    "Cost | 1 | lower | Under £10k; £10k–£50k; £50k–£100k; £100k–£250k; Over £250k"
)


@pytest.fixture
def council(app_ctx: Any) -> Council:
    return create_council(code="AAA", nice_name="Alphaton")


@pytest.fixture
def editor(council: Council) -> User:
    return create_user("editor", council)


@pytest.fixture
def council_admin(council: Council) -> User:
    return create_user("council-admin", council)


@pytest.fixture
def panel(council: Council) -> list[User]:
    """Three panel members of the council: councillors who score and do nothing else."""
    return [
        create_user("panel-member", council, name=f"Councillor {name}", email=f"{name}@aaa.test")
        for name in ("Ash", "Birch", "Cedar")
    ]


def created_id(response: Any, kind: str) -> int:
    match = re.search(rf"/{kind}/(\d+)", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


@pytest.fixture
def consulting(app_ctx: Any) -> SimpleNamespace:
    council = create_council(code="KEC", nice_name="Kensington and Chelsea", region="London")
    return SimpleNamespace(
        council=council,
        editor=create_user("editor", council),
        other_editor=create_user("editor", council),
        council_admin=create_user("council-admin", council),
        consultation=create_consultation(council),
    )
