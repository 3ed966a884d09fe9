"""Generic file helpers below every other layer: atomic writes and strict-JSON values.

Result files, the analysis cache, the worker protocol and the report all write through here, so a
reader never sees half a file and one NaN never loses a result.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any


def json_safe(value: Any) -> Any:
    """`value` with every NaN or infinite float replaced by None: strict JSON has no NaN."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def write_text_atomic(path: Path | str, text: str, *, fsync: bool = True) -> None:
    """Write `text` so that `path` holds either the old content or the whole new content."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            if fsync:  # durable across a power cut; caches that are cheap to recompute skip it
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json_atomic(path: Path | str, data: Any, *, compact: bool = False) -> None:
    """Atomic JSON (see write_text_atomic). NaN and infinities are written as null (see json_safe):
    one odd number must not lose a result. `compact`: no indentation, for large files rewritten often
    (a run's result file): json's C encoder then writes a 2 MB file in 0.04 s instead of 0.12 s."""
    text = json.dumps(json_safe(data), indent=None if compact else 1, separators=(",", ":") if compact else None,
                      sort_keys=True, allow_nan=False, default=str)
    write_text_atomic(path, text)


def read_json(path: Path | str) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
