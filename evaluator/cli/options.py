"""Options shared by several commands, declared once (same name, default and help everywhere)."""

from __future__ import annotations

from pathlib import Path

import click

from evaluator.analysis.cache import DEFAULT_CACHE_DIR
from evaluator.report.report_options import ReportOptions
from evaluator.runner.timing import TimingOptions

REPORT_DEFAULTS = ReportOptions()   # `easeval report`'s defaults live in ReportOptions only
TIMING_DEFAULTS = TimingOptions()

TASKS_OPTION = click.option(
    "--tasks", "tasks_dir", type=click.Path(file_okay=False, path_type=Path), default=REPORT_DEFAULTS.tasks_dir,
    show_default=True, help="Folder of task folders.",
)
RESULTS_OPTION = click.option(
    "--results", "results_dir", type=click.Path(file_okay=False, path_type=Path), default=REPORT_DEFAULTS.results_dir,
    show_default=True,
    help="Results folder (result files, one per machine and run; planted-bug records in its debug/); reused as a cache.",
)
DEVICE_OPTION = click.option(
    "--device", type=click.Choice(["cpu", "cuda", "auto"]), default=REPORT_DEFAULTS.device, show_default=True,
    help="auto = cuda when an NVIDIA GPU is visible, else cpu.",
)
THREADS_OPTION = click.option(
    "--threads", type=click.IntRange(min=1), default=REPORT_DEFAULTS.threads, show_default=True,
    help="Intra-op threads, same in every framework.",
)
CACHE_DIR_OPTION = click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CACHE_DIR,
    show_default=True, envvar="EASEVAL_ANALYSIS_CACHE", help="Content-hash cache of analyses (env: EASEVAL_ANALYSIS_CACHE).",
)
NO_CACHE_OPTION = click.option("--no-cache", is_flag=True, help="Analyse everything; read and write no cache.")
WORKERS_OPTION = click.option("--workers", type=click.IntRange(min=1), default=None,
                              help="Processes in all (default: every core).")


def format_option(*choices: str):
    """--format, its first choice the default."""
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=choices[0], show_default=True)


def timeout_option(default: float, per: str):
    """--timeout: seconds per `per` (an implementation, a measurement, a run)."""
    return click.option("--timeout", type=float, default=default, show_default=True, help=f"Seconds per {per}.")


def force_option(help_text: str):
    return click.option("--force", is_flag=True, help=help_text)
