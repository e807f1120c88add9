"""Choosing what to try: ideas, residents' priorities and prioritisation rounds.

Ideas (`ideas`) are a council's candidate pilots, private until published. A round (`setup`,
`lifecycle`) scores some of them against weighted criteria: its configuration is frozen with a
SHA-256 when it opens, panel members declare interests and score (`scoring`), nobody sees anyone
else's scores until it closes, and then `results` publishes the result, `publication` the JSON
and CSV, and `decisions` records the council's choice, each chosen idea becoming a draft pilot.
`feed_entries` gives the priorities feeds the rounds' public moments.

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
    """Scores, declarations, unpublished ideas, answers to an open consultation and drafts change
    no public page, so saving one leaves the page cache alone; the pilot page shows the idea and
    round a pilot was chosen from, and the residents' priorities it answered."""
    from app.choosing.consultation_privacy import only_private_consultation_rows
    from app.choosing.decisions import pilot_origin
    from app.choosing.ideas import only_an_unpublished_idea
    from app.choosing.scoring import only_a_private_write
    from app.common.caching.generation import private_when
    from app.pilots import contributions

    private_when(only_a_private_write)
    private_when(only_an_unpublished_idea)
    private_when(only_private_consultation_rows)
    contributions.add_page_section(app, "sidebar", "choosing/pilot-origin.html", pilot_origin)
