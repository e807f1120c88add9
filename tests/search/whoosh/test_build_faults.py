"""A rebuild's helper process dying, or its parent dying: nothing waits for ever, nothing is left
running, and a failed rebuild says so (the old index keeps serving)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.search.whoosh import build as whoosh_build
from app.search.whoosh.index import document_fields, make_schema
from tests.faults.gunicorn_server import worker_pids
from tests.search.whoosh.test_bulk import documents

ROOT = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 60.0


def test_a_rebuild_whose_helper_dies_fails_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whoosh_build, "HELPER_AFTER", 50)
    monkeypatch.setattr(whoosh_build, "BATCH", 10)

    def fields_killing_the_helper() -> Iterator[dict[str, object]]:
        for n, doc in enumerate(documents(600)):
            if n == 100:
                for child in multiprocessing.active_children():
                    if child.name == "search-build-helper":
                        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
            yield document_fields(doc)

    failures: list[BaseException] = []

    def build() -> None:
        try:
            whoosh_build.build_generation(
                tmp_path, make_schema, ("content",), fields_killing_the_helper()
            )
        except BaseException as error:
            failures.append(error)

    builder = threading.Thread(target=build, daemon=True)
    builder.start()
    builder.join(WAIT_SECONDS)
    assert not builder.is_alive(), "the rebuild waited for ever on its dead helper"
    assert len(failures) == 1 and "helper" in str(failures[0]), failures


PARENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from app.search.whoosh import build as whoosh_build
    from app.search.whoosh.index import document_fields, make_schema
    from tests.search.whoosh.test_bulk import documents

    whoosh_build.HELPER_AFTER, whoosh_build.BATCH = 50, 10

    def slow():
        for n, doc in enumerate(documents(400)):
            if n == 200:
                print("helper started", flush=True)
                time.sleep(600)  # killed here
            yield document_fields(doc)

    whoosh_build.build_generation(Path(sys.argv[1]), make_schema, ("content",), slow())
    """
)


def test_a_helper_whose_rebuild_is_killed_goes_too(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "helper started"
        helpers = [
            pid
            for pid in worker_pids(parent.pid)
            if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
        ]
        assert helpers, "no helper process was started"
    finally:
        parent.kill()
        parent.wait(10)
        if parent.stdout is not None:
            parent.stdout.close()
    deadline = time.monotonic() + WAIT_SECONDS
    while any(Path(f"/proc/{pid}").exists() and _alive(pid) for pid in helpers):
        assert time.monotonic() < deadline, "the helper outlived its killed rebuild"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
