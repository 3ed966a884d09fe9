"""The `easeval` command line: parse options, call one library function, render. Nothing else."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click

from evaluator import __version__

TASKS_OPTION = click.option(
    "--tasks", "tasks_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("tasks"),
    show_default=True, help="Folder of task folders.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="easeval")
def main() -> None:
    """easeval: which deep-learning framework is easier to use, and by how much?

    \b
    Example:
      easeval list
      easeval check
    """


@main.command("list")
@TASKS_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_command(tasks_dir: Path, fmt: str) -> None:
    """List the tasks of the corpus and their implementations.

    \b
    Example:
      easeval list --format json
    """
    from evaluator.corpus import discover
    from evaluator.listing import corpus_records, corpus_table

    corpus = discover(tasks_dir)
    if fmt == "json":
        click.echo(json.dumps(corpus_records(corpus), indent=2))
    else:
        for line in corpus_table(corpus):
            click.echo(line)
    for problem in corpus.problems:
        click.echo(f"problem: {problem}", err=True)


@main.command()
@click.argument("task_ids", nargs=-1)
@TASKS_OPTION
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds per implementation.")
def check(task_ids: tuple[str, ...], tasks_dir: Path, timeout: float) -> None:
    """Validate tasks and run each implementation once, small, on CPU, against the reference.

    Prints every problem with its file and exits 1 if there is any.

    \b
    Example:
      easeval check
      easeval check matmul_einsum mlp_training
    """
    from evaluator.check import check_corpus
    from evaluator.corpus import discover

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
    click.echo(f"{len(corpus.tasks)} tasks, {passed}/{len(report.outcomes)} implementations correct, "
               f"{len(report.problems)} problem(s)")
    sys.exit(0 if report.ok else 1)


@main.command()
@click.argument("task_ids", nargs=-1)
@TASKS_OPTION
@click.option("--framework", "frameworks", multiple=True, help="Only this framework (repeatable). Default: all.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu", show_default=True,
              help="auto = cuda when an NVIDIA GPU is visible, else cpu.")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True, help="Intra-op threads, same in every framework.")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds per measurement.")
@click.option("--memory-limit", "memory_limit_mb", type=click.IntRange(min=1), default=None,
              help="MiB a measurement may add to its process. Default: 3/4 of physical memory.")
@click.option("--size", "size_name", default=None, help="Size to run. Default: small on cpu, large on cuda where declared.")
@click.option("--min-time", type=float, default=0.5, show_default=True, help="Seconds of timed blocks, at least.")
@click.option("--max-time", type=float, default=5.0, show_default=True, help="Seconds of timed blocks, at most.")
@click.option("--results", "results_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True, help="Folder of result files (one per machine and run).")
@click.option("--machine", default=None, help="Name to file results under. Default: the host name.")
@click.option("--force", is_flag=True, help="Measure again even where a result with the same code and environment exists.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def run(task_ids: tuple[str, ...], tasks_dir: Path, frameworks: tuple[str, ...], device: str, threads: int,
        timeout: float, memory_limit_mb: int | None, size_name: str | None, min_time: float, max_time: float,
        results_dir: Path, machine: str | None, force: bool, fmt: str) -> None:
    """Measure correctness, speed, first-call latency and memory of every implementation.

    Each framework runs in its own process; each measurement in a forked child of it. Every
    finished measurement is written at once to a result file in --results; a rerun skips what is
    already measured there (same code and environment) unless --force. Exits 1 if any measurement
    is incorrect, error, timeout, crashed or oom; 130 if interrupted.

    \b
    Example:
      easeval run
      easeval run matmul_einsum --framework torch --device auto --format json
    """
    from evaluator.corpus import discover
    from evaluator.runner.execute import run_corpus
    from evaluator.runner.render import footer_lines, table_lines
    from evaluator.runner.timing import TimingOptions

    corpus = discover(tasks_dir)
    bar = None
    if sys.stdout.isatty() and fmt == "table":
        bar = click.progressbar(length=1, label="measuring", show_pos=True,
                                item_show_func=lambda r: r and f"{r['task']}/{r['impl_key']}: {r['status']}")

    def progress(event) -> None:
        if bar is not None:
            bar.length = max(event.total, 1)
            bar.update(1 if event.record else 0, event.record)

    with bar or contextlib.nullcontext():
        try:
            summary = run_corpus(
                corpus, task_ids=task_ids, frameworks=frameworks or None, device=device, threads=threads, timeout=timeout,
                results_dir=results_dir, force=force, size_name=size_name, on_progress=progress,
                memory_limit=memory_limit_mb * 2**20 if memory_limit_mb else None,
                timing=TimingOptions(min_time_s=min_time, max_time_s=max(max_time, min_time)), machine=machine,
            )
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(summary.records, indent=1, default=str))
        for line in footer_lines(summary):
            click.echo(line, err=True)
    else:
        for line in table_lines(summary) + footer_lines(summary):
            click.echo(line)
    sys.exit(130 if summary.interrupted else 1 if summary.failed else 0)
