"""The Nu Html Checker that every page goes through (test_accessibility.py) does fail a broken page,
and tells which page it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.html_checker import SavedPages, nu_errors

# No database is involved, so once (in the SQLite run) is enough for the seconds Java takes.
pytestmark = pytest.mark.sqlite_only

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><title>A page</title></head>
<body>
{body}
</body>
</html>
"""


def test_the_nu_checker_reports_each_error_of_a_broken_page_against_that_page(tmp_path: Path):
    pages = SavedPages(tmp_path)
    pages.save("valid", PAGE.format(body="<main><p>Fine.</p></main>"))
    pages.save(
        "broken",
        PAGE.format(
            body='<main><p class="a" class="b">Twice.</p>'
            "<span><div>A block in a phrase.</div></span>"
            "<p><b>Never closed.</p></main>"
        ),
    )

    errors = nu_errors(pages.files)

    assert errors["valid"] == []
    report = "\n".join(errors["broken"])
    assert "line 5: Duplicate attribute “class”" in report
    assert "line 5: Element “div” not allowed as child of element “span”" in report
    assert "line 5: Unclosed element “b”" in report
