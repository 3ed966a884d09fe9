"""The last report and a digest of everything it was computed from, kept beside the report files, so a
rerun that changed nothing writes nothing (issue 24: a cached rerun within 10 s; the statistics and
rendering alone take about 20 s on the whole corpus).

The digest covers the report's inputs as the pipeline holds them just before the statistics (static
records, measurements, environments, planted-bug pairs, documentation, problems, pending stages, the
command, the corpus revision, the protocol and task set) and easeval's own code (every file of the
package), so a change to any of them, or a new easeval, computes the report again. The inputs are
compared in a canonical form (`canonical`), never by identity or pickle bytes. The memo (the report
object) is a pickle written by this easeval for itself; one it cannot read, or one from other inputs,
is ignored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import tempfile
from enum import Enum
from functools import cache
from pathlib import Path, PurePath
from typing import Any

MEMO_FILE = ".report-memo.pickle"
REPORT_FILES = ("report.md", "report.html", "results.json", "metrics.csv")
_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def code_digest() -> str:
    """A digest of every file of the evaluator package (code, protocol, templates): a new easeval."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def canonical(value: Any) -> Any:
    """`value` as plain JSON data that is equal exactly when the values are: dataclasses field by field
    (fields outside equality, `compare=False`, left out), dicts with sorted keys, sets sorted. The same
    measurements read back from a result file and kept in memory by the run that took them must give
    the same digest (a pickle does not: a file's dicts come back with sorted keys)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare}]
    if isinstance(value, dict):
        return sorted([json.dumps(canonical(k)), canonical(v)] for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(canonical(v)) for v in value)
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Enum):
        return canonical(value.value)
    raise TypeError(f"no canonical form for {type(value).__name__}")


def inputs_digest(inputs: Any) -> str | None:
    """A digest of the report's inputs (their canonical form) and of easeval's code; None when some input
    has no canonical form (then nothing is memoised)."""
    try:
        text = json.dumps(canonical(inputs), separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None
    return hashlib.sha256(code_digest().encode() + text.encode()).hexdigest()


def recall(output_dir: Path, digest: str | None) -> Any | None:
    """The report computed from the same inputs, when the memo holds it and every report file is still
    there; else None."""
    memo = output_dir / MEMO_FILE
    if digest is None or not memo.is_file() or not all((output_dir / name).is_file() for name in REPORT_FILES):
        return None
    try:
        with memo.open("rb") as handle:
            stored_digest, report = pickle.load(handle)
    except Exception:  # noqa: BLE001 - truncated, from another Python, a class renamed: compute it again
        return None
    return report if stored_digest == digest else None


def remember(output_dir: Path, digest: str | None, report: Any) -> None:
    """Keep the report with the digest of its inputs (after the report files are written)."""
    memo = output_dir / MEMO_FILE
    if digest is None:
        memo.unlink(missing_ok=True)
        return
    try:
        data = pickle.dumps((digest, report), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        memo.unlink(missing_ok=True)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{memo.name}.", dir=output_dir)
    try:
        with os.fdopen(fd, "wb") as handle:  # no fsync: a lost memo only costs one computation
            handle.write(data)
        os.replace(tmp, memo)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
