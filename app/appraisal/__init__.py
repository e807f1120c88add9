"""The business case: an options appraisal for a pilot, its process model and its simulation.

An appraisal has options (business as usual, do-minimum, preferred, alternatives), each with cost
lines, benefit lines and a process model, every figure a low / likely / high range in pence. From
them, in this order:

- reference.py: the Green Book discount schedule, optimism bias, value-for-money bands,
  additionality and channel costs, as data with their sources (content/appraisal/);
- discounting.py: discount factors from the schedule, value-for-money bands;
- valuation.py: each input as a term (range × present-value weight); NPSV, BCR, switching value;
- process.py: the process model's terms, channel mix and the inclusion flag;
- simulation.py: Monte Carlo over the terms, with common random numbers across options;
- results.py: everything above, as the JSON stored with the appraisal;
- validation.py, document.py, service.py: checking, hashing and saving it in one transaction;
- amending.py: writing it as a council does (after registration, a major amendment with a reason);
- figures.py, charts.py, page.py: the stored results as tables and SVG charts for the pages;
- forms.py, rows.py, routes.py: the GOV.UK form with add-another rows, and the pages;
- lines_csv.py: the lines as CSV, out and in (all or nothing);
- outturn.py, business_cases.py: each line's outturn beside its forecast, and across the
  registry, how optimistic business cases turned out to be.

The figures are computed when the appraisal is saved, never when it is shown.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """A pilot's frozen record holds its appraisal's content hash, so that a changed appraisal
    after registration shows in the version chain."""
    from app.appraisal.page import pilot_section, results_section
    from app.appraisal.service import appraisal_hash
    from app.pilots import contributions

    contributions.add_snapshot_contributor(app, "appraisal", appraisal_hash)
    # The pilot page shows the stored figures of the preferred option and links to the rest.
    contributions.add_page_section(app, "sidebar", "appraisal/pilot-section.html", pilot_section)
    # The results page sets each line's outturn beside its forecast.
    contributions.add_page_section(
        app, "results", "appraisal/outturn-section.html", results_section
    )
