"""CSV the registry writes: streamed a line at a time, and safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` (and, in
some, a tab or carriage return) as a formula, so a pilot titled `=HYPERLINK("http://evil…")`
would become a live link in the reader's spreadsheet. As OWASP's "CSV Injection" page advises,
a text cell that starts with one of those characters is written with a `'` in front, which
every spreadsheet shows as text. Numeric columns (money, counts) are written as they are, so a
negative amount stays a number. The importers take the `'` off again
(`app.common.importing.unguarded_cell`), so an export re-imports unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell that already starts with quotes before a formula character gets one more, so that
# removing exactly one on import gives back what was typed, whatever it was.
GUARDED_CELL = re.compile(r"'*[=+\-@\t\r]")


def spreadsheet_safe(text: str) -> str:
    """The text as a cell no spreadsheet will run as a formula."""
    return "'" + text if GUARDED_CELL.match(text) else text


def csv_lines(
    header: Iterable[str], rows: Iterable[list[str]], numeric: Collection[int] = ()
) -> Iterator[str]:
    """CSV text a line at a time: the header, then one line a record. Every cell is made
    spreadsheet-safe except those in the `numeric` column positions."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Iterable[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(spreadsheet_safe(name) for name in header)
    for row in rows:
        yield line(
            value if index in numeric else spreadsheet_safe(value)
            for index, value in enumerate(row)
        )
