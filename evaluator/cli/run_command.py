"""`easeval run`: the Click command only (parse, call the library, render)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evaluator.base.exit_codes import exit_code
from evaluator.cli.options import (
    DEVICE_OPTION, REPORT_DEFAULTS, RESULTS_OPTION, TASKS_OPTION, THREADS_OPTION, TIMING_DEFAULTS, force_option,
    format_option, timeout_option,
)
from evaluator.cli.progress import ProgressDisplay
from evaluator.runner.disk import NotSaved
from evaluator.runner.timing import TimingOptions


@click.command()
@click.argument("task_ids", nargs=-1, metavar="[TASK_ID]...")
@TASKS_OPTION
@click.option("--framework", "frameworks", multiple=True, help="Only this framework (repeatable). Default: all.")
@DEVICE_OPTION
@THREADS_OPTION
@timeout_option(REPORT_DEFAULTS.timeout, "measurement")
@click.option("--memory-limit", "memory_limit_mb", type=click.IntRange(min=1), default=None,
              help="MiB a measurement may add to its process. Default: 3/4 of physical memory.")
@click.option("--size", "size_name", default=None,
              help="Size to run. Default: small and medium on cpu, large on cuda, where the task declares them.")
@click.option("--min-time", type=float, default=TIMING_DEFAULTS.min_time_s, show_default=True,
              help="Seconds of timed blocks, at least, all processes together.")
@click.option("--max-time", type=float, default=TIMING_DEFAULTS.max_time_s, show_default=True,
              help="Seconds of timed blocks, at most, all processes together.")
@click.option("--processes", type=click.IntRange(min=1), default=TIMING_DEFAULTS.processes, show_default=True,
              help="Independent processes that time each implementation, at most (the time above is split between them).")
@click.option("--agree-within", type=click.FloatRange(min=0.0), default=TIMING_DEFAULTS.agree_within, show_default=True,
              help="Stop after two processes whose medians differ by at most this share; 0: always every process.")
@RESULTS_OPTION
@click.option("--machine", default=None, help="Name to file results under. Default: the host name.")
@force_option("Measure again even where a result with the same code and environment exists.")
@format_option("table", "json")
def run(task_ids: tuple[str, ...], tasks_dir: Path, frameworks: tuple[str, ...], device: str, threads: int,
        timeout: float, memory_limit_mb: int | None, size_name: str | None, min_time: float, max_time: float,
        processes: int, agree_within: float, results_dir: Path, machine: str | None, force: bool, fmt: str) -> None:
    """Measure correctness, speed, first-call latency and memory of every implementation.

    Each framework runs in its own process; each measurement in a forked child of it. Every
    finished measurement is written at once to a result file in --results; a rerun skips what is
    already measured there (same code and environment) unless --force. Exits 1 if any measurement
    is incorrect, error, timeout, crashed or oom, or if a task named or found is invalid (it is not
    measured; its problems are printed); 130 if interrupted.

    \b
    Example:
      easeval run
      easeval run matmul_einsum --framework torch --device auto --format json
    """
    from evaluator.corpus.discovery import discover
    from evaluator.runner.execute import run_corpus
    from evaluator.runner.run_table import footer_lines, table_lines

    corpus = discover(tasks_dir)
    if task_ids:
        corpus = corpus.select(task_ids)  # here, so that the exit status counts the problems of these tasks only
    display = ProgressDisplay("easeval run")
    try:
        summary = run_corpus(
            corpus, frameworks=frameworks or None, device=device, threads=threads, timeout=timeout,
            results_dir=results_dir, force=force, size_name=size_name, on_progress=display.progress,
            memory_limit=memory_limit_mb * 2**20 if memory_limit_mb else None,
            timing=TimingOptions(min_time_s=min_time, max_time_s=max(max_time, min_time), processes=processes,
                                 agree_within=agree_within),
            machine=machine,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    except NotSaved as exc:  # disk full: one line saying what was kept, not a traceback
        raise click.ClickException(str(exc)) from exc
    finally:
        display.close()
    if fmt == "json":
        click.echo(json.dumps([r.to_json(with_cached_from=True) for r in summary.records], indent=1, default=str))
        for line in footer_lines(summary):
            click.echo(line, err=True)
    else:
        for line in table_lines(summary) + footer_lines(summary):
            click.echo(line)
    sys.exit(exit_code(problems=len(corpus.all_problems), failures=summary.failed, interrupted=summary.interrupted))
