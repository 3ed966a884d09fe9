"""The `easeval` command line: parse options, call one library function, render. Nothing else."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evaluator import __version__
from evaluator.analysis.cache import DEFAULT_CACHE_DIR
from evaluator.exit_codes import exit_code
from evaluator.runner.disk import NotSaved
from evaluator.runner.timing import TimingOptions

TIMING_DEFAULTS = TimingOptions()

class ProgressDisplay:
    """Progress of a long command: on a terminal one bar with counts and ETA, its label the current
    stage; elsewhere (CI logs, pipes) one line per stage and no bar. Never both."""

    def __init__(self, command: str, file=None, interactive: bool | None = None) -> None:
        self.command, self.file = command, file or sys.stderr
        self.interactive = self.file.isatty() if interactive is None else interactive
        self.bar = None
        self.stage_name = ""
        self.last_event_stage = ""

    def stage(self, name: str) -> None:
        """A stage of the command (static analysis, execution, statistics, rendering)."""
        self.stage_name = name
        self._show(name)

    def progress(self, event) -> None:
        """A `RunProgress` of the execution: a new stage of it, or units of work done."""
        stage = getattr(event, "stage", "")  # a DebugProgress has none
        if stage and stage != self.last_event_stage:
            self.last_event_stage = stage
            self._show(f"{self.stage_name}: {stage}" if self.stage_name else stage)
        if self.interactive:
            bar = self._bar()
            bar.length = max(event.total, 1)
            bar.update(max(event.done - bar.pos, 0))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None

    def _bar(self):
        if self.bar is None:
            self.bar = click.progressbar(length=1, label=self.command, show_eta=True, show_pos=True, file=self.file)
            self.bar.is_hidden = False  # the caller decided this is a terminal
        return self.bar

    def _show(self, text: str) -> None:
        if self.interactive:
            bar = self._bar()
            bar.label = f"{self.command}: {text}"[:60]
            bar.render_progress()
        else:
            click.echo(f"{self.command}: {text}", file=self.file)


TASKS_OPTION = click.option(
    "--tasks", "tasks_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("tasks"),
    show_default=True, help="Folder of task folders.",
)


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


@main.command("list")
@TASKS_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_command(tasks_dir: Path, fmt: str) -> None:
    """List the tasks of the corpus and their implementations.

    Prints every problem of the corpus (file, line, what to do) and exits 1 if there is any.

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
    for problem in corpus.all_problems:
        click.echo(f"problem: {problem}", err=True)
    sys.exit(exit_code(problems=len(corpus.all_problems)))


@main.command()
@click.argument("task_ids", nargs=-1, metavar="[TASK_ID]...")
@TASKS_OPTION
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds per implementation.")
def check(task_ids: tuple[str, ...], tasks_dir: Path, timeout: float) -> None:
    """Validate tasks and run each implementation once, small, on CPU, against the reference.

    Prints every problem with its file and exits 1 if there is any. A task without an implementation
    for some installed framework is noted as not implemented, which is not a problem.

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
    missing = f", {len(report.not_implemented)} not implemented (notes)" if report.not_implemented else ""
    click.echo(f"{len(corpus.tasks)} tasks, {passed}/{len(report.outcomes)} implementations correct, "
               f"{len(report.problems)} problem(s){missing}")
    sys.exit(exit_code(problems=len(report.problems)))


@main.command("new-task")
@click.argument("task_id")
@TASKS_OPTION
@click.option("--category", default=None, metavar="NAME",
              help="Category of the task (default: tensors, a placeholder to review); see tasks/README.md.")
@click.option("--framework", "frameworks", multiple=True, metavar="NAME",
              help="Write an implementation for this framework (or <framework>_<variant>); repeatable. "
                   "Default: every framework easeval has an adapter for.")
def new_task(task_id: str, tasks_dir: Path, category: str | None, frameworks: tuple[str, ...]) -> None:
    """Create tasks/TASK_ID/ with commented metadata, a spec and one skeleton per framework.

    The new task is listed at once; `easeval check TASK_ID` reports it incomplete until every
    '# easeval: todo' line is filled in and deleted. Refuses, writing nothing, a bad or existing id,
    an unknown framework or category (exit 2), or an existing task or a missing --tasks folder (exit 1).

    \b
    Example:
      easeval new-task elementwise_add --category tensors
    """
    from evaluator.scaffold import MalformedRequest, ScaffoldError, next_steps, scaffold_task

    try:
        result = scaffold_task(tasks_dir, task_id, category=category, frameworks=frameworks)
    except MalformedRequest as exc:
        raise click.UsageError(f"{exc}; nothing was written") from exc
    except ScaffoldError as exc:
        raise click.ClickException(f"{exc}; nothing was written") from exc
    for line in next_steps(result, tasks_dir):
        click.echo(line)


@main.command()
@TASKS_OPTION
@click.option("--results", "results_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True, help="Folder of result files (one per machine and run); reused as a cache.")
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports/latest"),
              show_default=True, help="Where report.md, report.html, results.json and metrics.csv go.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu", show_default=True)
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True, help="Intra-op threads, same in every framework.")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds per measurement.")
@click.option("--static-only", is_flag=True, help="Static analysis only: run no code.")
@click.option("--debug/--no-debug", default=True, show_default=True,
              help="Plant the debugging matrix's bugs (easeval debug without aids; cached) so that claim 8 is decided.")
@click.option("--force", is_flag=True, help="Measure again even where results are cached.")
@click.option("--corpus", "corpora", multiple=True, metavar="NAME=DIR", callback=lambda _c, _p, v: _corpus_specs(v),
              help="An external static-only corpus (easeval import) for the Replication section; repeatable. Never run.")
def report(tasks_dir: Path, results_dir: Path, output_dir: Path, device: str, threads: int, timeout: float,
           static_only: bool, debug: bool, force: bool, corpora: tuple[tuple[str, Path], ...]) -> None:
    """Analyse, run what is missing, and write the report (Markdown, HTML, JSON, CSV).

    Writes the report even if some tasks are invalid or failed (they are in it), prints their
    problems, then exits 1; exits 0 only when every task was reported in full.

    \b
    Example:
      easeval report
      easeval report --static-only --output reports/static
      easeval report --static-only --corpus hf=corpora/hf --corpus d2l=corpora/d2l
    """
    from evaluator.report.pipeline import ReportOptions, make_report
    from evaluator.report.summary import terminal_summary

    options = ReportOptions(tasks_dir=tasks_dir, results_dir=results_dir, output_dir=output_dir, device=device,
                            static_only=static_only, threads=threads, timeout=timeout, force=force, corpora=corpora,
                            debug=debug)
    display = ProgressDisplay("easeval report")
    try:
        outcome = make_report(options, on_progress=display.progress, on_stage=display.stage)
    except NotSaved as exc:  # disk full: one line saying what was kept, not a traceback
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - no report could be made: say why, exit non-zero
        raise click.ClickException(f"no report written: {type(exc).__name__}: {exc}") from exc
    finally:
        display.close()
    for line in terminal_summary(outcome):
        click.echo(line)
    for problem in outcome.report.problems:
        click.echo(f"problem: {problem}", err=True)
    failures = [f for f in outcome.report.failures if f.status != "skipped"]
    sys.exit(exit_code(problems=len(outcome.report.problems), failures=len(failures)))


def _corpus_specs(values: tuple[str, ...]) -> tuple[tuple[str, Path], ...]:
    """--corpus NAME=DIR values, checked (report/replication.py says what is wrong)."""
    from evaluator.report.replication import parse_corpus_spec

    try:
        return tuple(parse_corpus_spec(v) for v in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--corpus") from exc


CACHE_DIR_OPTION = click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CACHE_DIR,
    show_default=True, envvar="EASEVAL_ANALYSIS_CACHE", help="Content-hash cache of analyses (env: EASEVAL_ANALYSIS_CACHE).",
)
NO_CACHE_OPTION = click.option("--no-cache", is_flag=True, help="Analyse everything; read and write no cache.")


@main.command()
@click.argument("names", nargs=-1, metavar="[TASK_ID|PATH]...")
@TASKS_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@CACHE_DIR_OPTION
@NO_CACHE_OPTION
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Processes (default: every core).")
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
    from evaluator.analysis.records import analysis_csv, analysis_document, analysis_table
    from evaluator.analysis_scope import analyze_scope

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


@main.command()
@click.argument("file_a", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("file_b", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@CACHE_DIR_OPTION
@NO_CACHE_OPTION
def compare(file_a: Path, file_b: Path, fmt: str, cache_dir: Path, no_cache: bool) -> None:
    """Two Python files side by side: every metric, B/A, and the framework APIs only one uses.

    Exits 1 if either file cannot be analysed.

    \b
    Example:
      easeval compare tasks/mlp_training/torch_impl.py tasks/mlp_training/tensorflow_impl.py
    """
    from evaluator.analysis.compare import compare_files, comparison_record, comparison_table

    comparison = compare_files(file_a, file_b, cache_dir=None if no_cache else cache_dir)
    if fmt == "json":
        click.echo(json.dumps(comparison_record(comparison), indent=2))
    else:
        for line in comparison_table(comparison):
            click.echo(line)
    sys.exit(exit_code(failures=len(comparison.errors)))


@main.command()
@click.argument("task_ids", nargs=-1, metavar="[TASK_ID]...")
@TASKS_OPTION
@click.option("--framework", "frameworks", multiple=True, help="Only this framework (repeatable). Default: all.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu", show_default=True,
              help="auto = cuda when an NVIDIA GPU is visible, else cpu.")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True, help="Intra-op threads, same in every framework.")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds per measurement.")
@click.option("--memory-limit", "memory_limit_mb", type=click.IntRange(min=1), default=None,
              help="MiB a measurement may add to its process. Default: 3/4 of physical memory.")
@click.option("--size", "size_name", default=None,
              help="Size to run. Default: small and medium on cpu, large on cuda, where the task declares them.")
@click.option("--min-time", type=float, default=TIMING_DEFAULTS.min_time_s, show_default=True,
              help="Seconds of timed blocks, at least, all processes together.")
@click.option("--max-time", type=float, default=TIMING_DEFAULTS.max_time_s, show_default=True,
              help="Seconds of timed blocks, at most, all processes together.")
@click.option("--processes", type=click.IntRange(min=1), default=TIMING_DEFAULTS.processes, show_default=True,
              help="Independent processes that time each implementation (the time above is split between them).")
@click.option("--results", "results_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True, help="Folder of result files (one per machine and run).")
@click.option("--machine", default=None, help="Name to file results under. Default: the host name.")
@click.option("--force", is_flag=True, help="Measure again even where a result with the same code and environment exists.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def run(task_ids: tuple[str, ...], tasks_dir: Path, frameworks: tuple[str, ...], device: str, threads: int,
        timeout: float, memory_limit_mb: int | None, size_name: str | None, min_time: float, max_time: float,
        processes: int, results_dir: Path, machine: str | None, force: bool, fmt: str) -> None:
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
    from evaluator.corpus import discover
    from evaluator.runner.execute import run_corpus
    from evaluator.runner.render import footer_lines, table_lines

    corpus = discover(tasks_dir)
    if task_ids:
        corpus = corpus.select(task_ids)  # here, so that the exit status counts the problems of these tasks only
    display = ProgressDisplay("easeval run")
    try:
        summary = run_corpus(
            corpus, frameworks=frameworks or None, device=device, threads=threads, timeout=timeout,
            results_dir=results_dir, force=force, size_name=size_name, on_progress=display.progress,
            memory_limit=memory_limit_mb * 2**20 if memory_limit_mb else None,
            timing=TimingOptions(min_time_s=min_time, max_time_s=max(max_time, min_time), processes=processes),
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


def _register_commands() -> None:
    from evaluator.cli_import import register  # `easeval import pairs|d2l`, kept in a module of its own

    register(main)
    from evaluator.cli_debug import register as register_debug  # `easeval debug`, likewise

    register_debug(main)


_register_commands()
