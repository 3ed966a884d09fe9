"""`easeval import pairs|d2l`: external paired code as a static-only corpus. Parse, call, render."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evaluator.cli.options import force_option, format_option

OUTPUT_OPTION = click.option("--output", "output", required=True, type=click.Path(path_type=Path),
                             help="Folder to create: DIR/<id>/<framework>_impl.py and DIR/corpus.toml.")
FORCE_OPTION = force_option("Replace DIR if it holds an earlier import.")
FORMAT_OPTION = format_option("table", "json")


@click.group("import")
def import_group() -> None:
    """Make a static-only corpus from code nobody here wrote (analysed, never run).

    \b
    Example:
      easeval import pairs transformers-4.46.3-py3-none-any.whl --output corpora/hf \\
        --match torch='**/modeling_{name}.py' --match tensorflow='**/modeling_tf_{name}.py'
      easeval import d2l d2l-en/ --output corpora/d2l
      easeval report --static-only --corpus hf=corpora/hf --corpus d2l=corpora/d2l
    """


def _finish(manifest, output: Path, written: bool, fmt: str, error: str | None = None) -> None:
    from evaluator.importers.import_listing import import_document, import_lines

    if fmt == "json":
        click.echo(json.dumps(import_document(manifest, output, written, error), indent=1))
    else:
        for line in import_lines(manifest, output, written):
            click.echo(line)
    if error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)


@import_group.command("pairs")
@click.argument("src", type=click.Path(path_type=Path))
@OUTPUT_OPTION
@click.option("--match", "matches", multiple=True, metavar="FRAMEWORK=PATTERN",
              help="Files of one side: a path pattern with one {name} (shared by the sides), * ? and **; repeatable.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out paths matching this glob; repeatable.")
@FORCE_OPTION
@FORMAT_OPTION
def import_pairs_command(src: Path, output: Path, matches: tuple[str, ...], exclude: tuple[str, ...], force: bool,
                         fmt: str) -> None:
    """Copy paired files from a folder, a wheel or an sdist into DIR, with their provenance.

    Files are matched by --match patterns; a file matching one side only is listed as unpaired,
    never dropped silently. Archives are read with the standard library: nothing is unpacked,
    installed, imported or run. Exits 1, writing nothing, when no pair is found.

    \b
    Example:
      easeval import pairs transformers-4.46.3-py3-none-any.whl --output corpora/hf \\
        --match torch='**/modeling_{name}.py' --match tensorflow='**/modeling_tf_{name}.py'
    """
    from evaluator.importers import ImportFailure
    from evaluator.importers.corpus_writer import check_output
    from evaluator.importers.pairs import manifest_for, parse_matches, plan_pairs, refuse_empty, write_pairs

    try:
        patterns = parse_matches(matches)
        check_output(output, force, (src,))
        plan = plan_pairs(src, patterns, exclude)
    except ImportFailure as exc:
        raise click.ClickException(f"{exc}; nothing written") from exc
    try:
        refuse_empty(plan)
        manifest = write_pairs(plan, output, force)
    except ImportFailure as exc:
        _finish(manifest_for(plan), output, False, fmt, str(exc))
        return
    _finish(manifest, output, True, fmt)


@import_group.command("d2l")
@click.argument("repo", type=click.Path(path_type=Path))
@OUTPUT_OPTION
@click.option("--framework", "frameworks", multiple=True, metavar="NAME",
              help="A side to import (torch, tensorflow, jax); repeatable. Default: torch and tensorflow.")
@click.option("--default-tab", default="mxnet", show_default=True,
              help="The book's tab for cells without a '#@tab' line (d2l's default is mxnet).")
@FORCE_OPTION
@FORMAT_OPTION
def import_d2l_command(repo: Path, output: Path, frameworks: tuple[str, ...], default_tab: str, force: bool, fmt: str) -> None:
    """One pair per group of adjacent framework cells of the d2l book's markdown chapters.

    Reads a checkout of d2l-ai/d2l-en (`#@tab pytorch`, `#@tab all`, `%%tab ...` cells). Shared cells
    go into every side they name; each chapter's import prelude is its own pair and glue elsewhere
    (see evaluator/importers/d2l.py). Nothing is run.

    \b
    Example:
      easeval import d2l d2l-en/ --output corpora/d2l
    """
    from evaluator.importers import ImportFailure
    from evaluator.importers.d2l import manifest_for, plan_d2l
    from evaluator.importers.corpus_writer import check_output, write_corpus

    try:
        check_output(output, force, (repo,))
        plan = plan_d2l(repo, frameworks or ("torch", "tensorflow"), default_tab)
        manifest = manifest_for(plan)
        write_corpus(output, plan.contents, manifest, force)
    except ImportFailure as exc:
        raise click.ClickException(f"{exc}; nothing written") from exc
    _finish(manifest, output, True, fmt)
