"""Command code behind the CLI's task commands: `list` (task_listing.py), `check` (task_check.py),
`new-task` (task_scaffold.py), `analyze` (analysis_scope.py) and `compare` (file_compare.py).
Imports base, frameworks, corpus, analysis, results and runner; never claims, report or cli."""
