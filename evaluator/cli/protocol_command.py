"""`easeval protocol freeze`: write the claim protocol's frozen confirmatory task set. The Click command only."""

from __future__ import annotations

from pathlib import Path

import click

from evaluator.cli.options import TASKS_OPTION


@click.group("protocol")
def protocol_group() -> None:
    """The claim protocol (docs/claims.md): how each claim of the essay is decided."""


@protocol_group.command("freeze")
@TASKS_OPTION
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Manifest to write. Default: claims_manifest.toml beside the protocol (a maintainer's step).")
def freeze(tasks_dir: Path, output: Path | None) -> None:
    """Freeze the confirmatory task set: every task's id and the hashes of its spec and implementations.

    Confirmatory verdicts then use exactly these tasks, unchanged; a task added or changed later is
    decided as its own set beside them. Refuses a corpus with problems (exit 1): fix them first.

    \b
    Example:
      easeval protocol freeze
    """
    from evaluator.base.exit_codes import exit_code
    from evaluator.base.fileio import write_text_atomic
    from evaluator.claims.claim_protocol import load_protocol
    from evaluator.claims.frozen_set import MANIFEST_FILE, freeze_text
    from evaluator.corpus.discovery import discover

    corpus = discover(tasks_dir)
    if corpus.all_problems or not corpus.tasks:
        for problem in corpus.all_problems:
            click.echo(f"problem: {problem}", err=True)
        raise click.ClickException(f"{tasks_dir}: {len(corpus.all_problems)} problem(s), {len(corpus.tasks)} task(s); "
                                   "nothing frozen")
    version = load_protocol().version
    target = output or MANIFEST_FILE
    write_text_atomic(target, freeze_text(corpus, version))
    click.echo(f"froze {len(corpus.tasks)} tasks for claim protocol {version} into {target}")
    raise SystemExit(exit_code())
