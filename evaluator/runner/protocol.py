"""What the parent and a worker exchange: JSON files, never stdout. Standard library only.

A worker gets one job file (framework, threads, jobs) and writes one result file per job plus one
worker-info file. Each file is written atomically (temp file + rename), so a reader never sees half
of one and a killed worker loses only the job in flight.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

# Statuses, distinct on purpose: a timeout, a crash and a wrong answer mean different things.
OK = "ok"
INCORRECT = "incorrect"
ERROR = "error"
TIMEOUT = "timeout"
CRASHED = "crashed"
OOM = "oom"
SKIPPED = "skipped"
STATUSES = (OK, INCORRECT, ERROR, TIMEOUT, CRASHED, OOM, SKIPPED)


def json_safe(value: Any) -> Any:
    """`value` with every NaN or infinite float replaced by None: strict JSON has no NaN."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write `text` so that `path` holds either the old content or the whole new content."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json_atomic(path: Path | str, data: Any) -> None:
    """Atomic JSON (see write_text_atomic). NaN and infinities are written as null (see json_safe):
    one odd number must not lose a result."""
    write_text_atomic(path, json.dumps(json_safe(data), indent=1, sort_keys=True, allow_nan=False, default=str))


def read_json(path: Path | str) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
