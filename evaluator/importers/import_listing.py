"""What an import found, as lines for the terminal or one JSON document, both read from the manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evaluator.corpus.manifest import CorpusManifest
from evaluator.base.text_table import format_table

# Changelog of the `easeval import ... --format json` document:
# 1: {"schema_version", "written", "output", "error", "source", "patterns", "counts", "pairs", "unpaired",
#     "collisions", "aliases", "problems", "d2l"}.
IMPORT_DOCUMENT_SCHEMA_VERSION = 1


def import_document(manifest: CorpusManifest, output: Path, written: bool, error: str | None = None) -> dict[str, Any]:
    s = manifest.source
    d = manifest.d2l
    return {
        "schema_version": IMPORT_DOCUMENT_SCHEMA_VERSION, "written": written, "output": str(output), "error": error,
        "source": {"path": s.path, "kind": s.kind, "package": s.package, "version": s.version,
                   "git_commit": s.git_commit, "sha256": s.sha256, "exclude": list(s.exclude)},
        "patterns": manifest.patterns, "counts": manifest.counts,
        "pairs": [{"task_id": task_id, "files": files} for task_id, files in manifest.pairs.items()],
        "unpaired": [{"framework": u.framework, "name": u.name, "path": u.path} for u in manifest.unpaired],
        "collisions": [{"task_id": c.task_id, "framework": c.framework, "paths": list(c.paths)} for c in manifest.collisions],
        "aliases": manifest.aliases, "problems": list(manifest.problems),
        "d2l": None if d is None else {"default_tab": d.default_tab, "tabs": d.tabs, "chapters": d.chapters, "groups": d.groups,
                                       "shared_groups": d.shared_groups, "prelude_pairs": list(d.prelude_pairs),
                                       "magic_lines": d.magic_lines},
    }


def import_lines(manifest: CorpusManifest, output: Path, written: bool) -> list[str]:
    """The pairs, the unpaired files, collisions, aliases and problems, then one summary line."""
    s, counts = manifest.source, manifest.counts
    origin = f"{s.path} ({s.kind}" + (f", {s.package} {s.version}".rstrip() if s.package else "") + \
             (f", commit {s.git_commit[:12]}" if s.git_commit else "") + ")"
    keys = list(dict.fromkeys(k for files in manifest.pairs.values() for k in files))
    lines = [f"pairs ({len(manifest.pairs)}):"]
    lines += _indent(format_table([[task_id, *(files.get(k, "-") for k in keys)] for task_id, files in manifest.pairs.items()],
                                  ["task id", *keys])) if manifest.pairs else []
    lines += ["", f"unpaired: files that matched one side only ({len(manifest.unpaired)}):"]
    if manifest.unpaired:
        lines += _indent(format_table([[u.framework, u.name, u.path] for u in manifest.unpaired], ["side", "name", "path"]))
    if manifest.collisions:
        lines += ["", f"collisions: one name, several files on one side; not imported ({len(manifest.collisions)}):"]
        lines += [f"  {c.task_id} ({c.framework}): {', '.join(c.paths)}" for c in manifest.collisions]
    if manifest.aliases:
        lines += ["", f"aliases: re-exported framework modules, resolved by the analysis ({len(manifest.aliases)}):"]
        lines += [f"  {key} = {value}" for key, value in manifest.aliases.items()]
    if manifest.d2l is not None:
        d = manifest.d2l
        lines += ["", f"d2l: {d.chapters} chapters, {d.groups} groups of adjacent cells, {d.shared_groups} shared by every "
                      f"side (not pairs), {len(d.prelude_pairs)} chapter preludes (own pairs; glue in the others), "
                      f"{d.magic_lines} IPython lines kept as comments"]
    if manifest.problems:
        lines += ["", f"problems ({len(manifest.problems)}):"] + [f"  {p}" for p in manifest.problems]
    size = f"{counts.get('files', 0)} files, {counts.get('lines', 0):,} lines, {counts.get('bytes', 0) / 1e6:.2f} MB"
    verb = "imported into" if written else "nothing written to"
    lines += ["", f"{len(manifest.pairs)} pairs ({size}), {len(manifest.unpaired)} unpaired, "
                  f"{len(manifest.collisions)} collisions from {origin}; {verb} {output}"]
    return lines


def _indent(lines: list[str]) -> list[str]:
    return [f"  {line}" for line in lines]
