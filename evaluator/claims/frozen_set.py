"""The frozen confirmatory task set of the claim protocol (claims_manifest.toml beside
claims_protocol.toml): the task ids and the code hashes of every implementation (and spec) the claims
were fixed on. Confirmatory verdicts use exactly those tasks, unchanged; tasks added or changed since
are their own set, shown beside the confirmatory one like a replication corpus, never pooled silently.
A corpus none of whose tasks is in the frozen set (a user's own --tasks) gets exploratory verdicts.

Implementation files of a framework the manifest records for no task at all (one the freeze did not
know, such as keras, added after it) are ignored when a task is compared with the manifest: they add a
framework, they change none of the evidence the frozen claims were fixed on. A new file of a framework
the freeze did know (a new variant, a new primary) still makes its task changed.

`freeze_text` writes the manifest (`easeval protocol freeze`); `task_set` compares a corpus with it.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Mapping

from evaluator.claims.report_model import TaskSet
from evaluator.corpus.discovery import Corpus
from evaluator.frameworks import split_impl_key

MANIFEST_FILE = Path(__file__).with_name("claims_manifest.toml")
CONFIRMATORY, EXPLORATORY = "confirmatory", "exploratory"
SPEC_KEY = "spec"


class ManifestError(ValueError):
    """claims_manifest.toml is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class FrozenSet:
    protocol_version: str
    frozen_at: str
    tasks: dict[str, dict[str, str]]   # task id -> {implementation key or "spec": sha256 of the file}


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def corpus_hashes(corpus: Corpus) -> dict[str, dict[str, str]]:
    """task id -> {implementation key: sha256, "spec": sha256} for every valid task of the corpus."""
    found: dict[str, dict[str, str]] = {}
    for task in corpus.tasks:
        hashes = {i.key: file_hash(i.path) for i in task.implementations}
        spec = task.path / "spec.py"
        if spec.exists():
            hashes[SPEC_KEY] = file_hash(spec)
        found[task.task_id] = hashes
    return found


def freeze_text(corpus: Corpus, protocol_version: str, frozen_at: str | None = None) -> str:
    """The manifest for every task of `corpus` as it is now (TOML, one table per task)."""
    lines = ["# The frozen confirmatory task set of the claim protocol (docs/claims.md, \"The task set\").",
             "# Written by `easeval protocol freeze`; never edit by hand: a new set is a new protocol version.",
             f'protocol = "{protocol_version}"', f'frozen_at = "{frozen_at or date.today().isoformat()}"', ""]
    for task_id, hashes in sorted(corpus_hashes(corpus).items()):
        lines.append(f"[tasks.{task_id}]")
        lines += [f'{key} = "{value}"' for key, value in sorted(hashes.items())]
        lines.append("")
    return "\n".join(lines)


def load_frozen(path: Path = MANIFEST_FILE) -> FrozenSet | None:
    """The frozen set, or None when the protocol has none (version 1, or before the freeze)."""
    if not path.exists():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from None
    for key, kind in (("protocol", str), ("frozen_at", str), ("tasks", dict)):
        if not isinstance(data.get(key), kind):
            raise ManifestError(f"{path}: key {key!r} missing or not a {kind.__name__}")
    tasks = {}
    for task_id, hashes in data["tasks"].items():
        if not isinstance(hashes, dict) or not all(isinstance(v, str) for v in hashes.values()):
            raise ManifestError(f"{path}: key 'tasks.{task_id}' must map implementation keys to hashes")
        tasks[task_id] = dict(hashes)
    return FrozenSet(data["protocol"], data["frozen_at"], tasks)


def frozen_frameworks(frozen: FrozenSet) -> set[str]:
    """The frameworks the manifest records an implementation of, for any task."""
    return {split_impl_key(key)[0] for hashes in frozen.tasks.values() for key in hashes if key != SPEC_KEY}


def task_set(current: Mapping[str, Mapping[str, str]], frozen: FrozenSet | None, protocol_version: str) -> TaskSet:
    """Which tasks of a corpus (task -> file hashes) the confirmatory claims use. A task is used when it
    is in the frozen set with every frozen file unchanged (a file added since, a new variant, makes it
    changed too, unless its framework is one the manifest records for no task: see the module docstring);
    with no task used, every task is exploratory."""
    if frozen is None or frozen.protocol_version != protocol_version:
        return TaskSet(EXPLORATORY, protocol_version, "", 0, tuple(sorted(current)))
    known = frozen_frameworks(frozen)
    used, changed, added = [], [], []
    for task_id, hashes in sorted(current.items()):
        compared = {key: value for key, value in hashes.items() if key == SPEC_KEY or split_impl_key(key)[0] in known}
        if task_id not in frozen.tasks:
            added.append(task_id)
        elif compared == frozen.tasks[task_id]:
            used.append(task_id)
        else:
            changed.append(task_id)
    missing = tuple(sorted(set(frozen.tasks) - set(current)))
    if not used:
        return TaskSet(EXPLORATORY, protocol_version, frozen.frozen_at, len(frozen.tasks), tuple(sorted(current)),
                       missing=missing)
    return TaskSet(CONFIRMATORY, protocol_version, frozen.frozen_at, len(frozen.tasks), tuple(used), tuple(added),
                   tuple(changed), missing)
