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
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from evaluator import __version__


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


def total_memory_bytes() -> int | None:
    """Physical memory of the machine."""
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    match = re.search(r"^MemTotal:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) * 1024 if match else None


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


@dataclass(frozen=True)
class FrameworkInfo:
    version: str | None                  # installed package version (from metadata, not imported)
    import_seconds: float | None = None  # `import` in a fresh interpreter, this run
    imported_version: str | None = None  # __version__ as the worker saw it


@dataclass(frozen=True)
class Environment:
    """The machine and software a run's measurements depend on. Immutable: a result file holds one,
    and import times measured later make a new one (`with_import`)."""

    machine: str
    machine_id: str
    python: str
    hostname: str = ""
    platform: str = ""
    python_implementation: str = ""
    cpu_model: str = ""
    cpu_count: int | None = None
    cpu_affinity: int | None = None
    memory_bytes: int | None = None
    gpus: tuple[dict[str, str], ...] = ()
    easeval: str = ""
    numpy: str | None = None
    frameworks: dict[str, FrameworkInfo] = field(default_factory=dict)
    corpus: dict[str, Any] = field(default_factory=dict)   # root, commit, dirty
    extra: dict[str, Any] = field(default_factory=dict)    # keys this version does not know, kept as read

    def with_import(self, framework: str, seconds: float, version: str | None) -> "Environment":
        info = self.frameworks.get(framework) or FrameworkInfo(None)
        frameworks = {**self.frameworks, framework: replace(info, import_seconds=seconds, imported_version=version)}
        return replace(self, frameworks=frameworks)

    def framework_version(self, framework: str) -> str | None:
        info = self.frameworks.get(framework)
        return info.version if info else None

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("frameworks", "gpus", "extra")}
        data["gpus"] = [dict(g) for g in self.gpus]
        data["frameworks"] = {name: {k: v for k, v in vars(info).items() if v is not None or k == "version"}
                              for name, info in self.frameworks.items()}
        return {**self.extra, **data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Environment":
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in data.items() if k in known}
        values["gpus"] = tuple(dict(g) for g in data.get("gpus") or ())
        values["frameworks"] = {name: FrameworkInfo(info.get("version"), info.get("import_seconds"), info.get("imported_version"))
                                for name, info in (data.get("frameworks") or {}).items()}
        values.setdefault("machine", "unknown")
        values.setdefault("machine_id", "")
        values.setdefault("python", "")
        return cls(**values, extra={k: v for k, v in data.items() if k not in known})


def collect_environment(corpus_root: Path, *, machine: str | None = None,
                        import_names: dict[str, str] | None = None) -> Environment:
    """Everything about this machine and software that a measurement depends on.

    `import_names` maps framework names to import names whose versions to record.
    """
    gpus = gpu_models()
    import_names = import_names or {}
    versions = package_versions(["numpy", *import_names.values()])
    return Environment(
        machine=machine_name(machine), hostname=socket.gethostname(), machine_id=machine_id(),
        platform=platform.platform(), python=platform.python_version(),
        python_implementation=platform.python_implementation(), cpu_model=cpu_model(), cpu_count=os.cpu_count(),
        cpu_affinity=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        memory_bytes=total_memory_bytes(), gpus=tuple(gpus), easeval=__version__, numpy=versions["numpy"],
        frameworks={name: FrameworkInfo(versions[imp]) for name, imp in import_names.items()},
        corpus={"root": str(corpus_root), **corpus_revision(corpus_root)},
    )
