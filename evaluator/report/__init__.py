"""The report: one normalized `Report` object (model.py) built by pure functions (build.py,
claims.py), laid out once as sections of blocks (layout.py) and rendered by independent renderers
(markdown.py, html.py with templates/report.html.j2, tables.py)."""
