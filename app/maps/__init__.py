"""Where pilots ran: the UK map at /map and the small map of partners on each council's page.

The map is drawn on the server as SVG, so it works without JavaScript, and a table of the same
figures sits beside it (the map adds to the table and never replaces it). `projection.py` puts
degrees onto the page, `outline.py` draws the UK's coast and its nations' land borders from
content/map/uk-outline.json, `service.py` counts councils' pilots under /search's filters and
`drawing.py` turns those counts into marks.
"""
