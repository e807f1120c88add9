"""What every all-or-nothing importer reports when rows are bad."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportFailed(Exception):
    """Nothing was imported; `errors` names every bad row, `reason` a file-level problem."""

    def __init__(self, errors: list[RowError], reason: str = "") -> None:
        self.errors = errors
        self.reason = reason or f"{len(errors)} bad row(s); nothing was imported"
        super().__init__(self.reason)
