"""The councils and people most pilot tests start from, made with tests/factories.py."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.models import User
from app.councils.models import Council
from tests.factories import create_council, create_user


@pytest.fixture
def council(app_ctx: Any) -> Council:
    """The lead council: AAA, Alphaton."""
    return create_council(code="AAA", nice_name="Alphaton")


@pytest.fixture
def partner_council(app_ctx: Any) -> Council:
    """Another council, BBB, Betaford: a partner, or the council whose editors are refused."""
    return create_council(code="BBB", nice_name="Betaford")


@pytest.fixture
def editor(council: Council) -> User:
    """An editor for the lead council (not signed in)."""
    return create_user("editor", council)


@pytest.fixture
def signed_in_editor(editor: User, sign_in: Any) -> User:
    sign_in(editor)
    return editor
