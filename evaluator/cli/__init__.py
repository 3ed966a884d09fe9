"""The `easeval` command line, the top layer: one thin module per command or group (parse options,
call one library function, render), shared options in options.py, the progress display in
progress.py. Imports any layer below; nothing imports it but `evaluator.__main__`."""

from __future__ import annotations

import click

from evaluator import __version__
from evaluator.cli.analyze_command import analyze
from evaluator.cli.check_command import check
from evaluator.cli.compare_command import compare
from evaluator.cli.debug_command import debug
from evaluator.cli.docs_command import docs
from evaluator.cli.import_commands import import_group
from evaluator.cli.list_command import list_command
from evaluator.cli.new_task_command import new_task
from evaluator.cli.protocol_command import protocol_group
from evaluator.cli.report_command import report
from evaluator.cli.run_command import run


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="easeval")
def main() -> None:
    """easeval: which deep-learning framework is easier to use, and by how much?

    Exit status of every command: 0 success; 1 some task or file is invalid or failed (each
    problem is printed, the rest is done); 2 the command line is wrong; 130 interrupted.

    \b
    Example:
      easeval report          # the main job: reports/latest/report.md and .html
      easeval list
      easeval check
      easeval new-task my_task
    """


# Each command is a module of its own; the group only collects them.
for _command in (list_command, check, new_task, report, analyze, compare, run, import_group, debug, docs, protocol_group):
    main.add_command(_command)
