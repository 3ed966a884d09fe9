"""`easeval report`, the main job: the Click command only (parse, call the library, render)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evaluator.base.exit_codes import exit_code
from evaluator.cli.options import (
    DEVICE_OPTION, REPORT_DEFAULTS, RESULTS_OPTION, TASKS_OPTION, THREADS_OPTION, force_option, timeout_option,
)
from evaluator.cli.progress import ProgressDisplay
from evaluator.report.report_options import DEBUG_SCOPES, PROTOCOL_VERSIONS, ReportOptions
from evaluator.runner.disk import NotSaved


@click.command()
@TASKS_OPTION
@RESULTS_OPTION
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=REPORT_DEFAULTS.output_dir,
              show_default=True, help="Where report.md, report.html, results.json and metrics.csv go.")
@DEVICE_OPTION
@THREADS_OPTION
@timeout_option(REPORT_DEFAULTS.timeout, "measurement")
@click.option("--static-only", is_flag=True, help="Static analysis only: run no code.")
@click.option("--debug/--no-debug", default=REPORT_DEFAULTS.debug, show_default=True,
              help="Plant the debugging matrix's bugs (easeval debug without aids; cached) so that claim 8 is decided.")
@click.option("--debug-scope", type=click.Choice(list(DEBUG_SCOPES)), default=REPORT_DEFAULTS.debug_scope, show_default=True,
              help="Which planted bugs: claim = the implementations claim 8 pairs (PyTorch eager, TensorFlow like for "
                   "like); all = every mutated implementation (Keras, compiled variants; about twice the time).")
@force_option("Measure again even where results are cached.")
@click.option("--corpus", "corpora", multiple=True, metavar="NAME=DIR", callback=lambda _c, _p, v: _corpus_specs(v),
              help="An external static-only corpus (easeval import) for the Replication section; repeatable. Never run.")
@click.option("--docs/--no-docs", default=REPORT_DEFAULTS.docs, show_default=True,
              help="Measure the installed documentation of the APIs the corpus calls (easeval docs; cached per framework version).")
@click.option("--protocol", type=click.Choice(list(PROTOCOL_VERSIONS)), default=REPORT_DEFAULTS.protocol, show_default=True,
              help="Claim protocol version to decide the claims under (docs/claims.md); 1 recomputes old reports.")
@click.option("--remeasure-disturbed", is_flag=True,
              help="Time again every stored measurement taken while other processes used more than half a core.")
def report(tasks_dir: Path, results_dir: Path, output_dir: Path, device: str, threads: int, timeout: float,
           static_only: bool, debug: bool, debug_scope: str, force: bool, corpora: tuple[tuple[str, Path], ...], docs: bool,
           protocol: str, remeasure_disturbed: bool) -> None:
    """Analyse, run what is missing, and write the report (Markdown, HTML, JSON, CSV).

    The report is on disk as soon as the static verdicts are known, and rewritten after each stage
    (sections still being measured say so). Ctrl-C leaves the report of what finished and every
    finished measurement; the same command goes on from there (exit 130). Writes the report even if
    some tasks are invalid or failed (they are in it), prints their problems, then exits 1; exits 0
    only when every task was reported in full.

    \b
    Example:
      easeval report
      easeval report --static-only --output reports/static
      easeval report --static-only --corpus hf=corpora/hf --corpus d2l=corpora/d2l
    """
    from evaluator.report.pipeline import make_report
    from evaluator.report.terminal_summary import terminal_summary

    options = ReportOptions(tasks_dir=tasks_dir, results_dir=results_dir, output_dir=output_dir, device=device,
                            static_only=static_only, threads=threads, timeout=timeout, force=force, corpora=corpora,
                            debug=debug, docs=docs, protocol=protocol, remeasure_disturbed=remeasure_disturbed,
                            debug_scope=debug_scope)
    display = ProgressDisplay("easeval report")
    try:
        outcome = make_report(options, on_progress=display.progress, on_stage=display.stage)
    except NotSaved as exc:  # disk full: one line saying what was kept, not a traceback
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        display.close()
        click.echo(f"interrupted: the last report written is in {output_dir}/; every finished measurement is kept "
                   f"in {results_dir}/. Run the same command again to go on from there.", err=True)
        sys.exit(130)
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
    """--corpus NAME=DIR values, checked (claims/replication.py says what is wrong)."""
    from evaluator.claims.replication import parse_corpus_spec

    try:
        return tuple(parse_corpus_spec(v) for v in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--corpus") from exc
