"""The one error the choosing services raise for input or a step that cannot be taken."""

from __future__ import annotations


class ChoosingError(ValueError):
    """Nothing was changed; `errors` maps each field (or "" for the whole action) to a message
    that says how to put it right."""

    def __init__(self, errors: dict[str, str] | str) -> None:
        self.errors = errors if isinstance(errors, dict) else {"": errors}
        super().__init__("; ".join(self.errors.values()))
