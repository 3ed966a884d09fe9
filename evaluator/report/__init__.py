"""The report: one normalized `Report` object (model.py) built by pure functions (build.py builds it,
from comparisons.py and claims.py), its tables made once (tables.py), laid out once as sections of
blocks (layout.py) and rendered by independent renderers (markdown.py; html.py with
templates/report.html.j2; exports.py for results.json and metrics.csv). pipeline.py does the I/O."""
