"""`easeval compare`: the Click command only (parse, call the library, render)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evaluator.base.exit_codes import exit_code
from evaluator.cli.options import CACHE_DIR_OPTION, NO_CACHE_OPTION, format_option


@click.command()
@click.argument("file_a", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("file_b", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option("table", "json")
@CACHE_DIR_OPTION
@NO_CACHE_OPTION
def compare(file_a: Path, file_b: Path, fmt: str, cache_dir: Path, no_cache: bool) -> None:
    """Two Python files side by side: every metric, B/A, and the framework APIs only one uses.

    Exits 1 if either file cannot be analysed.

    \b
    Example:
      easeval compare tasks/mlp_training/torch_impl.py tasks/mlp_training/tensorflow_impl.py
    """
    from evaluator.commands.file_compare import compare_files, comparison_record, comparison_table

    comparison = compare_files(file_a, file_b, cache_dir=None if no_cache else cache_dir)
    if fmt == "json":
        click.echo(json.dumps(comparison_record(comparison), indent=2))
    else:
        for line in comparison_table(comparison):
            click.echo(line)
    sys.exit(exit_code(failures=len(comparison.errors)))
