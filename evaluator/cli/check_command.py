"""`easeval check`: the Click command only (parse, call the library, render)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evaluator.base.exit_codes import exit_code
from evaluator.cli.options import TASKS_OPTION, timeout_option


@click.command()
@click.argument("task_ids", nargs=-1, metavar="[TASK_ID]...")
@TASKS_OPTION
@timeout_option(300.0, "implementation")
def check(task_ids: tuple[str, ...], tasks_dir: Path, timeout: float) -> None:
    """Validate tasks and run each implementation once, small, on CPU, against the reference.

    Prints every problem with its file and exits 1 if there is any. A task without an implementation
    for some installed framework is noted as not implemented, which is not a problem.

    \b
    Example:
      easeval check
      easeval check matmul_einsum mlp_training
    """
    from evaluator.commands.task_check import check_corpus
    from evaluator.corpus.discovery import discover

    corpus = discover(tasks_dir)
    if task_ids:
        corpus = corpus.select(task_ids)

    def progress(outcome) -> None:
        click.echo(f"  {outcome.status:<9} {outcome.job.task.task_id} / {outcome.job.implementation.key}", err=True)

    report = check_corpus(corpus, timeout=timeout, on_outcome=progress if sys.stderr.isatty() else None)
    for note in report.notes:
        click.echo(f"note: {note}")
    for problem in report.problems:
        click.echo(f"problem: {problem}")
    passed = sum(1 for o in report.outcomes if o.status == "ok")
    missing = f", {len(report.not_implemented)} not implemented (notes)" if report.not_implemented else ""
    click.echo(f"{len(corpus.tasks)} tasks, {passed}/{len(report.outcomes)} implementations correct, "
               f"{len(report.problems)} problem(s){missing}")
    sys.exit(exit_code(problems=len(report.problems)))
