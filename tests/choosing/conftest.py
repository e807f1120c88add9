"""A council with an editor and a council admin, and an open consultation of theirs."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.factories import create_consultation, create_council, create_user


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
