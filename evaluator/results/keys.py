"""What identifies a measurement: the code measured (code hash) and the environment it ran in
(environment key); a rerun reuses a stored result whose two keys both match. Kept outputs are
filed under the same keys."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from evaluator.corpus.discovery import Corpus, Implementation, Task
from evaluator.base.environment import Environment


def code_hash(task: Task, implementation: Implementation, size_name: str) -> str:
    """sha256 of what was measured: implementation, spec, task.toml, and the size's name and values."""
    digest = hashlib.sha256()
    for path in (implementation.path, task.spec_path, task.path / "task.toml"):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    size = task.metadata.size(size_name) if task.metadata and size_name in task.metadata.sizes else {}
    digest.update(json.dumps({"size": size_name, "values": size}, sort_keys=True).encode())
    return digest.hexdigest()


def environment_key(environment: Environment, framework: str, device: str, threads: int,
                    measure: dict[str, Any] | None, backend: str | None = None) -> str:
    """Hash of the environment a measurement depends on: machine, Python, framework version, device,
    threads, timing method and options; for a multi-backend framework (Keras) the backend and its version."""
    parts = {
        "machine": environment.machine, "machine_id": environment.machine_id,
        "python": environment.python, "framework": framework,
        "framework_version": environment.framework_version(framework),
        "device": device, "threads": threads, "measure": measure,
    }
    if backend is not None:  # absent otherwise, so the keys of every other framework stay as they were
        parts.update(backend=backend, backend_version=environment.framework_version(backend))
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def outputs_dir(results_dir: Path) -> Path:
    """Where outputs are kept for the cross-framework comparison (not needed to merge results)."""
    return Path(results_dir) / "outputs"


def output_file(results_dir: Path, code_hash_value: str, env_key: str) -> Path:
    return outputs_dir(results_dir) / f"{code_hash_value[:16]}-{env_key}.npz"


def remove_if_larger(path: Path, limit_bytes: int) -> None:
    """Drop a kept output that is too large to be worth keeping."""
    try:
        if path.stat().st_size > limit_bytes:
            os.unlink(path)
    except FileNotFoundError:
        pass


def corpus_code_hashes(corpus: Corpus) -> dict[tuple[str, str, str], str]:
    """(task id, implementation key, size) -> code hash, for every declared size: hashed once per report."""
    return {(task.task_id, impl.key, size): code_hash(task, impl, size)
            for task in corpus.tasks if task.metadata is not None
            for impl in task.implementations for size in task.metadata.sizes}
