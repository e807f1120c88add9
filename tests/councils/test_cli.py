from __future__ import annotations

import threading
from http.server import HTTPServer, SimpleHTTPRequestHandler

from sqlalchemy import func, select

from app.councils.models import Council
from app.extensions import db
from tests.conftest import FIXTURES


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Council)) or 0


def test_cli_imports_from_a_path(app_ctx):
    result = app_ctx.test_cli_runner().invoke(
        args=["councils", "import", str(FIXTURES / "councils.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "6 created" in result.output
    assert count() == 6


def test_cli_imports_from_a_url(app_ctx):
    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(FIXTURES), **kwargs)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/councils.csv"
        result = app_ctx.test_cli_runner().invoke(args=["councils", "import", url])
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert count() == 6


def test_cli_fails_with_a_reason_and_imports_nothing(app_ctx, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text((FIXTURES / "councils.csv").read_text() + "ZZZ,,,,,,,Mars,,,,True\n")
    result = app_ctx.test_cli_runner().invoke(args=["councils", "import", str(bad)])
    assert result.exit_code != 0
    assert "line 8" in result.output
    assert "nothing was imported" in result.output
    assert count() == 0


def test_cli_missing_file(app_ctx, tmp_path):
    result = app_ctx.test_cli_runner().invoke(
        args=["councils", "import", str(tmp_path / "nope.csv")]
    )
    assert result.exit_code != 0
    assert "could not read" in result.output


def test_cli_reports_values_too_long_for_the_database_by_line(app_ctx, tmp_path):
    """PostgreSQL refuses an over-long value with a DataError; it must never get that far."""
    bad = tmp_path / "bad.csv"
    good = (FIXTURES / "councils.csv").read_text()
    bad.write_text(good + f"ZZZ,{'N' * 201},Z,E06000999,,,,England,,UA,{'T' * 81},True\n")
    result = app_ctx.test_cli_runner().invoke(args=["councils", "import", str(bad)])
    assert result.exit_code == 1
    assert "line 8: official-name: 201 characters; the most is 200" in result.output
    assert "line 8: local-authority-type-name: 81 characters; the most is 80" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert count() == 0
