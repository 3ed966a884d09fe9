"""Do the frameworks agree with each other? Compare kept outputs across frameworks, per task.

Each record is compared with the primary implementation of every other framework (same task,
device and size). Both outputs were checked against the reference within (rtol, atol), so two
correct outputs can differ by up to twice that: agreement uses doubled tolerances.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from evaluator.comparison import compare_outputs
from evaluator.corpus import Corpus
from evaluator.results import output_file


def _load(path: Path) -> dict[str, np.ndarray] | None:
    """The kept output, or None when it cannot be read: no comparison then, never a failed run."""
    try:
        with np.load(path) as data:
            return {name: data[name] for name in data.files}
    except Exception:  # noqa: BLE001 - truncated by a full disk (BadZipFile, EOFError), garbage (ValueError), ...
        return None


def add_agreement(records: list[dict[str, Any]], corpus: Corpus, results_dir: Path) -> None:
    """Set `cross_framework` ({impl_key: {max_abs_diff, agree}}) and `frameworks_agree` on records."""
    tolerances = {t.task_id: t.metadata.tolerance for t in corpus.tasks if t.metadata}
    outputs: dict[int, dict[str, np.ndarray] | None] = {}

    def output(record: dict[str, Any]) -> dict[str, np.ndarray] | None:
        if id(record) not in outputs:
            path = output_file(results_dir, record.get("code_hash") or "", record.get("env_key") or "")
            outputs[id(record)] = _load(path) if path.exists() else None
        return outputs[id(record)]

    for record in records:
        tol = tolerances.get(record["task"])
        partners = [r for r in records if r is not record and r["task"] == record["task"]
                    and r["device"] == record["device"] and r.get("size") == record.get("size")
                    and r["framework"] != record["framework"] and r.get("variant") is None]
        mine = output(record) if tol and partners else None
        if mine is None:
            continue
        cross = {}
        for partner in partners:
            theirs = output(partner)
            if theirs is None:
                continue
            comparison = compare_outputs(mine, theirs, 2 * tol.rtol, 2 * tol.atol)
            cross[partner["impl_key"]] = {"max_abs_diff": comparison.max_abs_error, "agree": comparison.passed,
                                          "message": comparison.message or None}
        record["cross_framework"] = cross
        record["frameworks_agree"] = all(c["agree"] for c in cross.values()) if cross else None
