"""Answers are checked against the document in tests and development, and not by default in
production (where the check cost a fifth of a page of 100): the answer is the same either way."""

from __future__ import annotations

from app.api.spec import validates_responses
from tests.factories import create_council, create_pilot


def test_production_skips_the_check_and_sends_the_same_answer(app_ctx, api, monkeypatch):
    pilot = create_pilot(create_council(), title="Checked or not")
    checked = api.get(f"/api/v1/pilots/{pilot.slug}")
    monkeypatch.setitem(app_ctx.config, "API_VALIDATE_RESPONSES", False)
    unchecked = api.get(f"/api/v1/pilots/{pilot.slug}")
    assert checked.status_code == unchecked.status_code == 200
    assert checked.get_data() == unchecked.get_data()
    assert checked.headers["ETag"] == unchecked.headers["ETag"]


def test_the_check_follows_the_setting_then_testing_and_debug(app_ctx, monkeypatch):
    assert validates_responses()  # tests check every answer
    monkeypatch.setitem(app_ctx.config, "TESTING", False)
    assert not validates_responses()  # production, unless told
    monkeypatch.setitem(app_ctx.config, "API_VALIDATE_RESPONSES", True)
    assert validates_responses()
