"""The report: one normalized `Report` object (model.py) built by pure functions (build.py,
claims.py) and rendered by independent renderers (markdown.py, html.py, tables.py)."""
