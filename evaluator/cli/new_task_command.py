"""`easeval new-task`: the Click command only (parse, call the library, render)."""

from __future__ import annotations

from pathlib import Path

import click

from evaluator.cli.options import TASKS_OPTION


@click.command("new-task")
@click.argument("task_id")
@TASKS_OPTION
@click.option("--category", default=None, metavar="NAME",
              help="Category of the task (default: tensors, a placeholder to review); see tasks/README.md.")
@click.option("--framework", "frameworks", multiple=True, metavar="NAME",
              help="Write an implementation for this framework (or <framework>_<variant>); repeatable. "
                   "Default: every framework easeval has an adapter for, but keras (name it to get its skeleton).")
def new_task(task_id: str, tasks_dir: Path, category: str | None, frameworks: tuple[str, ...]) -> None:
    """Create tasks/TASK_ID/ with commented metadata, a spec and one skeleton per framework.

    The new task is listed at once; `easeval check TASK_ID` reports it incomplete until every
    '# easeval: todo' line is filled in and deleted. Refuses, writing nothing, a bad or existing id,
    an unknown framework or category (exit 2), or an existing task or a missing --tasks folder (exit 1).

    \b
    Example:
      easeval new-task elementwise_add --category tensors
    """
    from evaluator.commands.task_scaffold import MalformedRequest, ScaffoldError, next_steps, scaffold_task

    try:
        result = scaffold_task(tasks_dir, task_id, category=category, frameworks=frameworks)
    except MalformedRequest as exc:
        raise click.UsageError(f"{exc}; nothing was written") from exc
    except ScaffoldError as exc:
        raise click.ClickException(f"{exc}; nothing was written") from exc
    for line in next_steps(result, tasks_dir):
        click.echo(line)
