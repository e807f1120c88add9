"""The demo loads in one transaction: a failure in its last part leaves nothing behind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.common.importing import ImportFailed
from app.content.demo import load_demo
from app.councils.models import Council
from app.extensions import db
from app.funding.models import Programme
from app.pilots.models import Pilot, SuccessMeasure
from app.search import service as search_service


def rows(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def broken_demo(app_ctx, tmp_path: Path):
    """The real demo, with an award in funding.json (loaded last) naming no programme."""
    content = tmp_path / "content"
    shutil.copytree(Path(app_ctx.config["CONTENT_DIR"]), content)
    funding = json.loads((content / "demo" / "funding.json").read_text())
    funding["awards"][-1]["programme"] = "no-such-programme"
    (content / "demo" / "funding.json").write_text(json.dumps(funding))
    saved = app_ctx.config["CONTENT_DIR"]
    app_ctx.config["CONTENT_DIR"] = str(content)
    yield
    app_ctx.config["CONTENT_DIR"] = saved


def test_a_demo_that_fails_in_its_last_part_loads_nothing(broken_demo):
    with pytest.raises(ImportFailed, match="no such programme"):
        load_demo()
    assert [rows(m) for m in (Council, Pilot, SuccessMeasure, User, Programme)] == [0] * 5
    assert search_service.search_pilots({"q": "chatbot"}, 1).page.total == 0


def test_the_whole_demo_is_found_in_search_once_loaded(app_ctx):
    load_demo()
    assert rows(Pilot) >= 30 and rows(SuccessMeasure) > 0 and rows(Programme) > 0
    assert search_service.search_pilots({"q": "chatbot"}, 1).page.total >= 2
