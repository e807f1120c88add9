"""Choosing what to try: ideas, residents' priorities and prioritisation rounds.

The round's result is pure arithmetic on plain data, kept apart from the models so that it can be
checked by hand: `scoresheet` refuses bad input and lays the scores out as an array; `ranking`
weights and ranks them; `agreement` measures how far the panel agrees (Kendall's W);
`sensitivity` asks whether the top three survives a change of weights; `consensus` puts these
together into one result; `delphi` gives scorers the anonymised first-round picture for a second
scoring and sets both rounds side by side.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """An answer to an open consultation, and a draft, change no public page: they leave the
    page cache alone."""
    from app.choosing.consultation_privacy import only_private_consultation_rows
    from app.common.caching.generation import private_when

    private_when(only_private_consultation_rows)
