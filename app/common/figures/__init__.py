"""Figures as tables and charts: one `Table` declaration feeds the GOV.UK table, the server-drawn
SVG chart beside it (`charts.py`) and its CSV download, so the three can never disagree. Used by
the funder's dashboard and the business-case pages; the macros are in
templates/partials/figures.html."""
