"""Provenance: which machine, software and corpus revision produced a measurement.

Nothing here imports a framework: versions come from installed package metadata, GPUs from
`nvidia-smi`. (Importing torch to ask it would cost a second and, worse, could initialise CUDA in a
process that later forks.)
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import platform
import re
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

from evaluator import __version__
from evaluator.runner.memory import total_memory_bytes


def _run(args: list[str], cwd: Path | None = None) -> str | None:
    """stdout of a short command, or None if it is missing or fails."""
    try:
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def machine_name(machine: str | None = None) -> str:
    """The name results are filed under: `machine` if given (as asv's --machine), else the host name.

    Only letters, digits, `_`, `.` and `-`, never a leading dot (a hidden file, and the prefix of
    temporary files) or dash: the name starts a file name in the results folder and cannot leave it."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", machine or socket.gethostname() or "").lstrip(".-_")
    return name or "unknown"


def machine_id() -> str:
    """A stable, anonymous id of this machine (hash of /etc/machine-id, else of the host name)."""
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            raw = Path(path).read_text().strip()
        except OSError:
            continue
        if raw:
            return hashlib.sha256(raw.encode()).hexdigest()[:16]
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:16]


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else platform.machine()


def gpu_models() -> list[dict[str, str]]:
    """NVIDIA GPUs visible to this machine (name, memory, driver), from nvidia-smi; [] if none."""
    if shutil.which("nvidia-smi") is None:
        return []
    out = _run(["nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader"])
    gpus = []
    for line in (out or "").splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) == 3:
            gpus.append({"name": parts[0], "memory": parts[1], "driver": parts[2]})
    return gpus


def cuda_visible(gpus: list[dict[str, str]] | None = None) -> bool:
    """Whether an NVIDIA GPU is usable here (and not hidden by CUDA_VISIBLE_DEVICES)."""
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return False
    return bool(gpu_models() if gpus is None else gpus)


def package_versions(import_names: list[str]) -> dict[str, str | None]:
    """Installed version of the distribution providing each import name (tensorflow-cpu for tensorflow)."""
    try:
        providers = importlib.metadata.packages_distributions()  # one scan of site-packages for all names
    except Exception:  # noqa: BLE001 - broken metadata must not stop a run
        providers = {}
    versions: dict[str, str | None] = {}
    for name in import_names:
        versions[name] = None
        for dist in providers.get(name) or [name]:
            try:
                versions[name] = importlib.metadata.version(dist)
                break
            except importlib.metadata.PackageNotFoundError:
                continue
    return versions


def corpus_revision(root: Path) -> dict[str, Any]:
    """Git commit of the corpus folder and whether it has uncommitted changes (None outside git)."""
    commit = _run(["git", "rev-parse", "HEAD"], cwd=root) if root.is_dir() else None
    if commit is None:
        return {"commit": None, "dirty": None}
    status = _run(["git", "status", "--porcelain", "--", "."], cwd=root)
    return {"commit": commit, "dirty": bool(status)}


def collect_environment(corpus_root: Path, *, machine: str | None = None, import_names: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything about this machine and software that a measurement depends on.

    `import_names` maps framework names to import names whose versions to record.
    """
    gpus = gpu_models()
    import_names = import_names or {}
    versions = package_versions(["numpy", *import_names.values()])
    return {
        "machine": machine_name(machine),
        "hostname": socket.gethostname(),
        "machine_id": machine_id(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_bytes": total_memory_bytes(),
        "gpus": gpus,
        "easeval": __version__,
        "numpy": versions["numpy"],
        "frameworks": {name: {"version": versions[imp]} for name, imp in import_names.items()},
        "corpus": {"root": str(corpus_root), **corpus_revision(corpus_root)},
    }
