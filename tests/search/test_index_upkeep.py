"""Keeping the index in step: reindex and check, renamed pillars, a lost index, several
processes saving at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import select
from whoosh import index as whoosh_index

from app.extensions import db
from app.pilots.models import Pilot
from app.search import indexing
from app.search.whoosh.index import make_schema
from tests.factories import create_council, create_pilot

ROOT = Path(__file__).resolve().parents[2]


def titles(client, query: str) -> str:
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_check_finds_drift_and_reindex_repairs_it(app_ctx, backend):
    runner = app_ctx.test_cli_runner()
    pilot = create_pilot(title="Gritting routes")
    create_pilot(title="Library hours")
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    # A change made behind the ORM's back never reaches the index: that is drift.
    db.session.execute(
        Pilot.__table__.update().where(Pilot.id == pilot.id).values(title="Snow ploughs")
    )
    db.session.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"pilot {pilot.id} is out of date" in result.output
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Indexed 2 public pilots" in result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_check_finds_a_pilot_missing_from_the_index(app_ctx, whoosh):
    pilot = create_pilot(title="Gritting routes")
    index = indexing.whoosh_backend().directory.open()
    writer = index.writer()
    writer.delete_by_term("id", str(pilot.id))
    writer.commit()
    result = app_ctx.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"pilot {pilot.id} is missing from the index" in result.output


def test_a_renamed_pillar_is_found_under_its_new_name(client, backend, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    client.application.config["CONTENT_DIR"] = str(content)
    try:
        create_pilot(title="Assisted digital", pillars=["inclusion"])
        assert "Assisted digital" not in titles(client, "accessibility")
        page = content / "pillars" / "inclusion.md"
        page.write_text(page.read_text().replace("name: Inclusion", "name: Accessibility"))
        os.utime(page, (1e9 * 2, 1e9 * 2))
        assert "Assisted digital" in titles(client, "accessibility")
    finally:
        client.application.config["CONTENT_DIR"] = str(ROOT / "content")


def test_a_deleted_index_is_rebuilt_while_searches_keep_answering(client, whoosh):
    create_pilot(title="Gritting routes")
    indexing.close_searchers()
    shutil.rmtree(whoosh)
    assert client.get("/healthz").get_json()["search"]["index_present"] is False
    html = titles(client, "gritting")
    assert "Gritting routes" in html and "while its index is rebuilt" in html
    assert indexing.wait_for_rebuild()
    html = titles(client, "gritting")
    assert "Gritting routes" in html and "while its index is rebuilt" not in html
    health = client.get("/healthz").get_json()["search"]
    assert health["index_present"] is True and health["documents"] == 1


def test_an_unreadable_index_is_detected_and_rebuilt(client, whoosh):
    create_pilot(title="Gritting routes")
    indexing.close_searchers()
    for toc in (whoosh / "current").glob("*.toc"):
        toc.write_bytes(b"not an index")
    assert "while its index is rebuilt" in titles(client, "gritting")
    assert indexing.wait_for_rebuild()
    assert "while its index is rebuilt" not in titles(client, "gritting")


def test_an_index_from_an_older_release_is_rebuilt_and_saves_meanwhile_are_kept(client, whoosh):
    create_pilot(title="Gritting routes")
    indexing.close_searchers()
    target = (whoosh / "current").resolve()
    shutil.rmtree(target)
    target.mkdir()
    older = make_schema()
    older.remove("programme")  # as written before the programme facet existed
    whoosh_index.create_in(str(target), older).close()
    create_pilot(title="Gritting lorries")  # saved while the index cannot take it
    assert "while its index is rebuilt" in titles(client, "gritting")
    assert indexing.wait_for_rebuild()
    html = titles(client, "gritting")
    assert "Gritting routes" in html and "Gritting lorries" in html
    assert "while its index is rebuilt" not in html
    assert client.application.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0


def test_an_abandoned_rebuild_leaves_the_old_index_serving(client, whoosh):
    create_pilot(title="Gritting routes")
    partial = whoosh / "gen-20000101T000000-killed"
    partial.mkdir()
    (partial / "MAIN_half.seg").write_bytes(b"\0" * 10)
    assert "Gritting routes" in titles(client, "gritting")
    assert client.application.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0


SAVER = textwrap.dedent(
    """
    import sys
    from app import create_app
    from app.extensions import db
    from app.councils.models import Council
    from sqlalchemy import select
    from tests.factories import create_pilot

    worker = int(sys.argv[1])
    app = create_app({"SERVER_NAME": "localhost"})
    with app.app_context():
        council = db.session.scalar(select(Council))
        for n in range(5):
            pilot = create_pilot(council, title=f"Worker {worker} pilot {n}", slug=f"w{worker}-{n}")
            pilot.title = f"Worker {worker} renamed pilot {n}"
            if n % 3 == 0:
                pilot.status = "draft"
            db.session.commit()
    """
)


def test_several_processes_saving_at_once_leave_no_drift(app_ctx, whoosh):
    create_council()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": app_ctx.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": str(whoosh),
        "SEARCH_BACKEND": "whoosh",
        "INSTANCE_DIR": str(whoosh.parent / "instance"),
        "PYTHONPATH": str(ROOT),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, str(n)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors
        assert "LockError" not in errors and "Traceback" not in errors, errors
    public = db.session.scalar(select(db.func.count()).where(Pilot.status != "draft"))
    assert public == 3 * 3
    assert indexing.check() == []
    assert len(indexing.whoosh_backend().indexed_digests()) == public


def test_check_finds_a_pilot_indexed_twice(app_ctx, whoosh):
    pilot = create_pilot(title="Gritting routes")
    writer = indexing.whoosh_backend().directory.open().writer()
    writer.add_document(id=str(pilot.id), digest="stale", content="gritting")  # not an update
    writer.commit()
    assert indexing.check() == [
        f"pilot {pilot.id} is in the index 2 times",
        f"pilot {pilot.id} is out of date in the index",  # the second copy's digest
    ]
    indexing.reindex()
    assert indexing.check() == []


def test_a_save_while_another_writer_holds_the_index_is_queued_not_lost(client, whoosh):
    pilot = create_pilot(title="Gritting routes")
    directory = indexing.whoosh_backend().directory
    with directory.writer_lock(1.0) as held:  # as a long rebuild in another worker would
        assert held
        pilot.title = "Snow ploughs"
        db.session.commit()  # waits briefly for the lock, then leaves the change queued
        assert directory.queued_count() == 1
        assert "Snow ploughs" not in titles(client, "ploughs")  # the old index still answers
    assert indexing.check() == []  # the next writer applies what was queued
    assert "Snow ploughs" in titles(client, "ploughs")
