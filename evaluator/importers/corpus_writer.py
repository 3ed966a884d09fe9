"""Write an imported corpus whole or not at all: into a temporary folder beside DIR, renamed at the end."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from evaluator.corpus.manifest import MANIFEST_FILE, CorpusManifest, dump_manifest
from evaluator.importers import ImportFailure
from evaluator.corpus.task_metadata import TASK_ID_PATTERN


def check_output(output: Path, force: bool, sources: tuple[Path, ...] = ()) -> None:
    """Refuse, before anything is read, an output that is a file, is not empty (without --force), or
    would take a source with it when replaced."""
    output = Path(output)
    if output.exists() and not output.is_dir():
        raise ImportFailure(f"--output {output}: exists and is not a folder")
    if not output.is_dir() or not any(output.iterdir()):
        return
    if not force:
        raise ImportFailure(f"--output {output}: not empty; use --force to replace an earlier import")
    if not (output / MANIFEST_FILE).is_file():
        raise ImportFailure(f"--output {output}: not empty and holds no {MANIFEST_FILE}, so it is not an earlier "
                            "import; not replaced, even with --force")
    real = Path(os.path.realpath(output))
    for source in sources:
        source_real = Path(os.path.realpath(source))
        if source_real == real or real in source_real.parents:
            raise ImportFailure(f"--output {output}: holds the source {source}; replacing it would delete the source")


def write_corpus(output: Path, files: dict[tuple[str, str], bytes], manifest: CorpusManifest, force: bool) -> None:
    """`output/<task_id>/<key>_impl.py` for each ((task_id, key), content), and `output/corpus.toml`.

    Everything goes to a temporary folder next to `output` first; only a complete corpus is renamed into
    place (replacing an earlier import with --force), so a failure never leaves a partial DIR."""
    output = Path(output)
    check_output(output, force)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.importing-", dir=output.parent))
    try:
        for (task_id, key), content in files.items():
            if not TASK_ID_PATTERN.match(task_id) or not TASK_ID_PATTERN.match(key):
                raise ImportFailure(f"refusing to write {task_id}/{key}_impl.py: not a valid task id or framework key")
            target = staging / task_id / f"{key}_impl.py"
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(content)
        (staging / MANIFEST_FILE).write_text(dump_manifest(manifest), encoding="utf-8")
        if output.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{output.name}.replaced-", dir=output.parent))
            os.rename(output, previous / "old")
            os.rename(staging, output)
            shutil.rmtree(previous, ignore_errors=True)
        else:
            os.rename(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
