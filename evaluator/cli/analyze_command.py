"""`easeval analyze`: the Click command only (parse, call the library, render)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evaluator.base.exit_codes import exit_code
from evaluator.cli.options import CACHE_DIR_OPTION, NO_CACHE_OPTION, TASKS_OPTION, WORKERS_OPTION, format_option


@click.command()
@click.argument("names", nargs=-1, metavar="[TASK_ID|PATH]...")
@TASKS_OPTION
@format_option("table", "json", "csv")
@CACHE_DIR_OPTION
@NO_CACHE_OPTION
@WORKERS_OPTION
def analyze(names: tuple[str, ...], tasks_dir: Path, fmt: str, cache_dir: Path, no_cache: bool, workers: int | None) -> None:
    """Static metrics (size, complexity, API surface) of every implementation, or of any Python files.

    With nothing named, every implementation of the corpus in --tasks (a folder of *_impl.py pairs
    without metadata works too). Name tasks by id (as `check` does) or by folder to analyse their
    implementations (never spec.py); any other file or folder is analysed as plain Python. Nothing
    analysed is ever executed. Exits 1 if a file cannot be analysed or there is any problem.

    \b
    Example:
      easeval analyze --format json
      easeval analyze matmul_einsum mlp_training
      easeval analyze src/ --format csv
    """
    from evaluator.analysis.metric_rows import analysis_csv, analysis_document, analysis_table
    from evaluator.commands.analysis_scope import analyze_scope

    result = analyze_scope(names, tasks_dir, cache_dir=None if no_cache else cache_dir, workers=workers)
    if fmt == "json":
        click.echo(json.dumps(analysis_document(result), indent=2))
    elif fmt == "csv":
        click.echo(analysis_csv(result), nl=False)
    else:
        for line in analysis_table(result):
            click.echo(line)
    for problem in result.problems:
        click.echo(f"problem: {problem}", err=True)
    sys.exit(exit_code(problems=len(result.problems), failures=sum(1 for f in result.files if f.analysis.error)))
