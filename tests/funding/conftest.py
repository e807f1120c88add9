"""Funding tests: a signed-in funder."""

from __future__ import annotations

import pytest

from tests.factories import create_user


@pytest.fixture
def funder(client, sign_in):
    user = create_user("funder")
    sign_in(user)
    return user
