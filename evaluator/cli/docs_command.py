"""`easeval docs`: the installed documentation of the APIs the corpus calls. The Click command only."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evaluator.base.exit_codes import exit_code
from evaluator.cli.options import TASKS_OPTION, format_option


@click.command("docs")
@TASKS_OPTION
@format_option("table", "json")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=Path(".easeval-cache/apidocs"),
              show_default=True, help="Inspection results, one file per framework version and set of names.")
@click.option("--no-cache", is_flag=True, help="Inspect everything again; read and write no cache.")
@click.option("--variants", is_flag=True, help="Count the variants' API use too (default: primary implementations only).")
def docs(tasks_dir: Path, fmt: str, cache_dir: Path, no_cache: bool, variants: bool) -> None:
    """Is every API the corpus calls documented where a user looks first (its installed docstring)?

    Resolves every framework name the implementations use (as the static analysis names it, e.g.
    torch.nn.functional.cross_entropy) in a worker process of its framework, never importing the task
    code, and reports per framework and task the share with a docstring, with every parameter
    documented, and with an example, per API and weighted by calls. Exits 1 when a name cannot be
    resolved or a worker fails (listed, never guessed).

    \b
    Example:
      easeval docs
      easeval docs --format json > docs.json
    """
    from evaluator.apidocs.docs_measure import coverage_document, coverage_table, measure_docs
    from evaluator.corpus.discovery import discover

    coverage = measure_docs(tasks_dir, cache_dir=None if no_cache else cache_dir, include_variants=variants)
    problems = list(dict.fromkeys([str(p) for p in discover(tasks_dir).all_problems] + list(coverage.problems)))
    if fmt == "json":
        click.echo(json.dumps(coverage_document(coverage), indent=1))
    else:
        click.echo(coverage_table(coverage))
    unresolved = [(f.framework, name, reason) for f in coverage.frameworks for name, reason in f.unresolved]
    for framework, name, reason in unresolved:
        click.echo(f"unresolved: {framework}: {name}: {reason}", err=True)
    for problem in problems:   # an invalid task (its task.toml, say) is the corpus's problem, as `list` prints it
        click.echo(f"problem: {problem}", err=True)
    sys.exit(exit_code(problems=len(problems), failures=len(unresolved)))
