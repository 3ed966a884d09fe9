"""Rendering: the report's tables made once (tables.py), laid out once as sections of blocks
(blocks.py, layout.py and its section modules) and rendered by independent renderers (markdown.py;
html.py with plots.py, svg.py and templates/report.html.j2; exports.py for results.json and
metrics.csv); pipeline.py is `easeval report`'s I/O and orchestration. Imports any layer below."""
