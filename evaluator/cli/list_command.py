"""`easeval list`: the Click command only (parse, call the library, render)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evaluator.base.exit_codes import exit_code
from evaluator.cli.options import TASKS_OPTION, format_option


@click.command("list")
@TASKS_OPTION
@format_option("table", "json")
def list_command(tasks_dir: Path, fmt: str) -> None:
    """List the tasks of the corpus and their implementations.

    Prints every problem of the corpus (file, line, what to do) and exits 1 if there is any.

    \b
    Example:
      easeval list --format json
    """
    from evaluator.corpus.discovery import discover
    from evaluator.commands.task_listing import corpus_records, corpus_table

    corpus = discover(tasks_dir)
    if fmt == "json":
        click.echo(json.dumps(corpus_records(corpus), indent=2))
    else:
        for line in corpus_table(corpus):
            click.echo(line)
    for problem in corpus.all_problems:
        click.echo(f"problem: {problem}", err=True)
    sys.exit(exit_code(problems=len(corpus.all_problems)))
