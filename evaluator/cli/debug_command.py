"""`easeval debug`: the Click command only (parse, call run_debug, render)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evaluator.base.exit_codes import exit_code
from evaluator.cli.options import RESULTS_OPTION, TASKS_OPTION, WORKERS_OPTION, force_option, format_option
from evaluator.cli.progress import ProgressDisplay


@click.command()
@click.argument("task_ids", nargs=-1, metavar="[TASK_ID]...")
@TASKS_OPTION
@click.option("--operator", "operators", multiple=True, metavar="ID",
              help="Only this mutation operator (repeatable), e.g. SHP-R, DETACH. Default: all 27.")
@click.option("--aids/--no-aids", default=False, show_default=True,
              help="Also rerun every mutant with each framework's debugging aids on (twice the work).")
@format_option("table", "json")
@RESULTS_OPTION
@click.option("--timeout", type=float, default=120.0, show_default=True,
              help="Seconds per run (a hang is a timeout, reused by later runs with no longer a limit).")
@WORKERS_OPTION
@force_option("Run everything again, reusing no record.")
@click.option("--list", "list_only", is_flag=True, help="List every site and its pairing; run nothing.")
def debug(task_ids: tuple[str, ...], tasks_dir: Path, operators: tuple[str, ...], aids: bool, fmt: str,
          results_dir: Path, timeout: float, workers: int | None, force: bool, list_only: bool) -> None:
    """Plant the same bugs in every framework's implementation and record what a developer would see.

    Each mutant (one planted bug: docs/debugging.md lists the 27 operators) runs once in the execution
    harness against the NumPy reference and the clean implementation's own output: loud (an exception,
    with where it points), silent-caught, silent-undetected, benign, timeout, crashed or oom. Mutants
    are paired across frameworks by task, operator and role (tasks/<task>/mutants.toml where the rules
    cannot tell). Records are kept in --results/debug/ and reused while the code is unchanged.

    \b
    Example:
      easeval debug --list mlp_training
      easeval debug mlp_training --operator DETACH --operator OPT-STEP
      easeval debug --aids --format json > debug.json
    """
    from evaluator.corpus.discovery import discover
    from evaluator.debugging.debug_plan import plan_debug
    from evaluator.debugging.debug_table import footer_lines, json_document, list_document, site_lines, summary_table
    from evaluator.debugging.mutant_runs import DebugOptions, run_debug
    from evaluator.debugging.debug_summary import summarize

    corpus = discover(tasks_dir)
    try:
        selected = corpus.select(task_ids) if task_ids else corpus
        invalid = [str(p) for p in selected.all_problems]  # tasks that cannot be mutated as asked: exit 1
        for problem in invalid:
            click.echo(f"problem: {problem}", err=True)
        if list_only:
            plan = plan_debug(selected, operators or None)
            if fmt == "json":
                click.echo(json.dumps(list_document(plan), indent=1))
            else:
                for line in site_lines(plan):
                    click.echo(line)
            for problem in plan.problems:
                click.echo(f"problem: {problem}", err=True)
            sys.exit(exit_code(problems=len(invalid) + len(plan.problems)))
        display = ProgressDisplay("easeval debug")
        display.stage(f"planting bugs in {len(selected.tasks)} task{'s' if len(selected.tasks) != 1 else ''}")
        try:
            run = run_debug(corpus, task_ids=task_ids, operators=operators or None, results_dir=results_dir,
                            options=DebugOptions(aids=aids, timeout=timeout, workers=workers, force=force),
                            on_progress=display.progress)
        finally:
            display.close()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    summary = summarize(run.plan, run.records, run.problems)
    if fmt == "json":
        document = json_document(run, summary)
        document["claim8"]["protocol"] = _claim8_verdict(summary)
        click.echo(json.dumps(document, indent=1, default=str))
        for line in footer_lines(run, summary):
            click.echo(line, err=True)
    else:
        for line in summary_table(summary) + ([""] + summary_table(summary, aids=True) if aids else []) + [""] + footer_lines(run, summary):
            click.echo(line)
    sys.exit(exit_code(problems=len(invalid), interrupted=run.interrupted))


def _claim8_verdict(summary) -> dict:
    """Claim 8 under the current claim protocol, on the pairs of this run's tasks (the report decides it on
    the confirmatory task set, without the tasks the protocol excludes; this is the same rule, shown early)."""
    from evaluator.claims.claim_protocol import load_protocol
    from evaluator.claims.debugging_claim import debugging_evidence, discordant_outcome

    protocol = load_protocol()
    claim = protocol.claim(8)
    outcome = discordant_outcome(claim, protocol, debugging_evidence(summary.pairs, claim) if summary.pairs else None)
    return {"version": protocol.version, "rule": claim.rule, "margin": claim.margin, "min_discordant": claim.min_discordant,
            "verdict": outcome.verdict, "outcome": outcome.outcome, "favours": outcome.favours, "reason": outcome.reason}
