"""Do the frameworks agree with each other? Compare kept outputs across frameworks, per task.

Each record is compared with the primary implementation of every other framework (same task,
device and size). Both outputs were checked against the reference within (rtol, atol), so two
correct outputs can differ by up to twice that: agreement uses doubled tolerances.
"""

from __future__ import annotations

from pathlib import Path
import numpy as np

from evaluator.runner.reference_comparison import compare_outputs
from evaluator.corpus.discovery import Corpus
from evaluator.results import Measurement, output_file


def _load(path: Path) -> dict[str, np.ndarray] | None:
    """The kept output, or None when it cannot be read: no comparison then, never a failed run."""
    try:
        with np.load(path) as data:
            return {name: data[name] for name in data.files}
    except Exception:  # noqa: BLE001 - truncated by a full disk (BadZipFile, EOFError), garbage (ValueError), ...
        return None


def _key(record: Measurement) -> str:
    return record.impl_key + (f"@{record.backend}" if record.backend else "")


def add_agreement(records: list[Measurement], corpus: Corpus, results_dir: Path,
                  measured: set[int] | None = None) -> list[Measurement]:
    """The records with `cross_framework` ({impl_key: {max_abs_diff, agree, message}}) and
    `frameworks_agree` set where a partner's output could be compared.

    `measured`: the positions of the records this run measured (None: all). A record whose task, device
    and size had nothing measured again keeps the comparison stored with it when it names the same
    partners: its outputs and theirs are the stored ones (a cached rerun read them all, 15 s here)."""
    tolerances = {t.task_id: t.metadata.tolerance for t in corpus.tasks if t.metadata}
    outputs: dict[int, dict[str, np.ndarray] | None] = {}

    def output(record: Measurement) -> dict[str, np.ndarray] | None:
        if id(record) not in outputs:
            path = output_file(results_dir, record.code_hash or "", record.env_key or "")
            outputs[id(record)] = _load(path) if path.exists() else None
        return outputs[id(record)]

    def group(record: Measurement) -> tuple:
        return record.task, record.device, record.size

    changed = None if measured is None else {group(records[i]) for i in measured}
    updated = []
    for record in records:
        tol = tolerances.get(record.task)
        partners = [r for r in records if r is not record and r.task == record.task and r.device == record.device
                    and r.size == record.size and r.framework != record.framework and r.variant is None]
        if (changed is not None and group(record) not in changed and record.cross_framework is not None
                and set(record.cross_framework) == {_key(p) for p in partners}):
            updated.append(record)
            continue
        mine = output(record) if tol and partners else None
        cross = {}
        for partner in partners if mine is not None else ():
            theirs = output(partner)
            if theirs is None:
                continue
            comparison = compare_outputs(mine, theirs, 2 * tol.rtol, 2 * tol.atol, prefix="")  # saved outputs are flat, named
            cross[_key(partner)] = {"max_abs_diff": comparison.max_abs_error, "agree": comparison.passed,
                                    "message": comparison.message or None}
        if not partners and record.cross_framework:   # a partner it was compared with is gone
            updated.append(record.evolve(cross_framework={}, frameworks_agree=None))
        elif mine is None:
            updated.append(record)
        else:
            updated.append(record.evolve(cross_framework=cross,
                                         frameworks_agree=all(c["agree"] for c in cross.values()) if cross else None))
    return updated
