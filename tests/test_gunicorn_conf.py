"""gunicorn.conf.py serves whatever app gunicorn is started with from the project's folder."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import requests

from bench.cluster import free_port

PROJECT = Path(__file__).resolve().parents[1]


def test_an_app_without_rate_limits_is_served_with_several_workers(tmp_path: Path) -> None:
    # `make bench-load` holds the pilot page to bench/hello.py's bare Flask under the same
    # settings; the rate-limit check at start-up once stopped it (a KeyError) before serving.
    port = free_port()
    command = [
        *(sys.executable, "-m", "gunicorn", "--workers", "2"),
        *("--bind", f"127.0.0.1:{port}", "--preload", "--log-level", "warning", "bench.hello:app"),
    ]
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=PROJECT, stderr=output)
    try:
        deadline, answer = time.monotonic() + 60, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert server.poll() is None, log.read_text()
        assert answer is not None
        assert answer.text == "Hello, world"
    finally:
        server.terminate()
        server.wait(30)
