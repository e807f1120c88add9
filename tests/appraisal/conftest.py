"""The council, its editor and the pilots most appraisal tests start from."""

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
def editor(council: Council) -> User:
    """An editor for the lead council (not signed in)."""
    return create_user("editor", council)


@pytest.fixture
def signed_in_editor(editor: User, sign_in: Any) -> User:
    sign_in(editor)
    return editor
