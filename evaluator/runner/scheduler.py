"""The parent side: group jobs by framework, start workers, collect result files.

One worker per framework (per framework and backend for Keras, whose backend is fixed at its import),
one at a time, for timings (they must not compete for cores). Work that
is not a timing (correctness checks) runs in several workers at once, one per core: a framework with
many jobs is split between workers, each paying the framework import once.
The parent never imports a framework and never parses a worker's stdout (it goes to a log file).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from evaluator.corpus.discovery import Implementation, Task
from evaluator.frameworks import get_adapter
from evaluator.base.fileio import read_json, write_json_atomic
from evaluator.base.run_status import CRASHED, SKIPPED
from evaluator.runner.worker import ACK_SUFFIX

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
WORKER_IMPORT_ALLOWANCE_S = 600.0


@dataclass(frozen=True)
class Job:
    """One implementation of one task on one device at one size."""

    task: Task
    implementation: Implementation
    device: str = "cpu"
    size_name: str = "small"
    measure: dict[str, Any] | None = None  # timing options (TimingOptions fields); None = correctness only
    output_path: Path | None = None  # where the worker saves the output (.npz); default: the workdir
    check_purity: bool = False  # call run(state) twice and require identical outputs (task.toml: pure = true)
    debug: dict[str, Any] | None = None  # `easeval debug` settings (aids, compiler cache); None for measurements
    check: bool = True               # compute the reference and judge the output; False: a timing process only
    replicate: int = 0               # which timing process of the measurement this is
    cache_dir: Path | None = None    # compiler caches (torch.compile's); None: a fresh folder, deleted after
    cpus: tuple[int, ...] = ()       # CPUs the measurement process may run on; () = any
    backend: str | None = None       # the backend a multi-backend framework (Keras) runs on; None for the others
    preload: tuple[str, ...] = ()    # modules its worker imports before forking, beyond the framework's own

    @property
    def job_id(self) -> str:
        suffix = "" if self.check else f".time{self.replicate}"
        on = f"@{self.backend}" if self.backend else ""
        return f"{self.task.task_id}.{self.implementation.key}{on}.{self.device}.{self.size_name}{suffix}"

    @property
    def worker_key(self) -> tuple[str, str | None, tuple[str, ...]]:
        """The jobs one worker process can run: one framework, on one backend, with the same preloads."""
        return self.implementation.framework, self.backend, self.preload


@dataclass
class JobOutcome:
    job: Job
    result: dict[str, Any]
    worker: dict[str, Any] = field(default_factory=dict)  # framework version, import time

    @property
    def status(self) -> str:
        return self.result["status"]


def _job_payload(job: Job, folder: Path, timeout: float, memory_limit: int | None) -> dict[str, Any]:
    meta = job.task.metadata
    assert meta is not None, "jobs need task metadata"
    return {
        "job_id": job.job_id,
        "task_id": job.task.task_id,
        "impl_path": str(job.implementation.path.resolve()),
        "spec_path": str(job.task.spec_path.resolve()),
        "device": job.device,
        "size": meta.size(job.size_name),
        "seed": meta.seed,
        "tolerance": {"rtol": meta.tolerance.rtol, "atol": meta.tolerance.atol},
        "timeout": timeout,
        "result_path": str(folder / f"{job.job_id}.json"),
        "output_path": str(job.output_path or folder / f"{job.job_id}.npz"),
        "measure": job.measure,
        "check": job.check,
        "cache_dir": str(job.cache_dir) if job.cache_dir else None,
        "cpus": list(job.cpus),
        "memory_limit_bytes": memory_limit,
        "check_purity": job.check_purity,
        "debug": job.debug,
        "backend": job.backend,
    }


def _worker_env(threads: int) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH", "")) if p)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # The adapters set intra-op threads; these make OpenMP/BLAS pools that frameworks start agree.
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[name] = str(threads)
    return env


def available_cores() -> int:
    """CPUs this process may run on (its affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def split_among_workers(by_framework: dict[Any, list[Job]], workers: int, min_jobs: int = 4) -> list[tuple[Any, list[Job]]]:
    """(framework, jobs) per worker process: with one worker each framework's jobs stay together;
    with more, a framework with at least `min_jobs` jobs per extra worker is split, round robin (so
    each part gets a share of every task and size), up to `workers` parts. Largest parts first, so
    the longest work starts early."""
    units = []
    for framework, jobs in by_framework.items():
        parts = max(1, min(workers, len(jobs) // min_jobs)) if workers > 1 else 1
        units += [(framework, jobs[i::parts]) for i in range(parts)]
    return sorted(units, key=lambda unit: -len(unit[1])) if workers > 1 else units


def _kill_worker(proc: subprocess.Popen) -> None:
    """Kill a worker and its process group (a child mid-job dies with its worker)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def run_jobs(
    jobs: list[Job],
    workdir: Path,
    *,
    threads: int = 1,
    timeout: float = 120.0,
    parallel: bool = False,
    memory_limit: int | None = None,
    on_outcome: Callable[[JobOutcome], None] | None = None,
    preload: dict[str, list[str]] | None = None,
    workers: int | None = None,
    acknowledge: bool = False,
) -> list[JobOutcome]:
    """Run every job in worker processes (see the module docstring); return outcomes in job order.

    Never raises for a task's fault: a framework that is not installed gives `skipped`, a worker that
    dies gives `crashed` for the jobs it had not reported. `workers` is how many worker processes
    run at once (default 1; with `parallel`, one per available core): fine for correctness, while
    timings want one. `preload` names modules a framework's worker imports
    before forking (framework -> module names), for jobs that are no timing.
    `acknowledge` (timings): a worker starts its next job only once this process has taken the last
    result in (`on_outcome` returned), so none of this process's work overlaps a timed measurement.
    """
    workers = workers or (available_cores() if parallel else 1)
    workdir.mkdir(parents=True, exist_ok=True)
    by_framework: dict[tuple[str, str | None, tuple[str, ...]], list[Job]] = {}   # Job.worker_key: one worker's kind of jobs
    for job in jobs:
        by_framework.setdefault(job.worker_key, []).append(job)

    outcomes: dict[str, JobOutcome] = {}

    def publish(outcome: JobOutcome) -> None:
        outcomes[outcome.job.job_id] = outcome
        if on_outcome:
            on_outcome(outcome)

    installed = {}
    for unit, fw_jobs in by_framework.items():
        framework, backend, _preload = unit
        missing = [get_adapter(name) for name in (framework, backend) if name and not get_adapter(name).is_installed()]
        if missing:
            adapter = missing[0]
            what = f"{adapter.DISPLAY_NAME} is not installed" if adapter.NAME == framework else \
                f"the {backend} backend of {get_adapter(framework).DISPLAY_NAME} is skipped: {adapter.DISPLAY_NAME} is not installed"
            for job in fw_jobs:
                publish(JobOutcome(job, {"job_id": job.job_id, "status": SKIPPED,
                                         "error": f"{what}: {adapter.INSTALL_HINT}"}))
            continue
        installed[unit] = fw_jobs
    pending = split_among_workers(installed, workers)

    running: list[tuple[subprocess.Popen, str, list[Job], Path, Any, float]] = []

    started = 0

    def start(unit: tuple[str, str | None, tuple[str, ...]], fw_jobs: list[Job]) -> None:
        nonlocal started
        started += 1
        framework, backend, extra = unit
        # a framework split between workers has one folder each
        folder = workdir / (f"{framework}-{backend}-{started}" if backend else f"{framework}-{started}")
        folder.mkdir(parents=True, exist_ok=True)
        spec = {
            "framework": framework, "backend": backend, "device": fw_jobs[0].device, "threads": threads, "info_path": str(folder / "worker-info.json"),
            "parent_pid": os.getpid(), "acknowledge": acknowledge, "preload": [*(preload or {}).get(framework, []), *extra],
            "jobs": [_job_payload(job, folder, timeout, memory_limit) for job in fw_jobs],
        }
        for payload in spec["jobs"]:  # a rerun in the same folder must not read stale results
            for suffix in ("", ".child"):
                Path(payload["result_path"] + suffix).unlink(missing_ok=True)
        spec_path = folder / "jobs.json"
        write_json_atomic(spec_path, spec)
        log = open(folder / "worker.log", "wb")
        proc = subprocess.Popen([sys.executable, "-m", "evaluator.runner.worker", str(spec_path)],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=_worker_env(threads),
                                start_new_session=True)  # a terminal's Ctrl-C reaches only the parent
        # A worker that outlives every job's timeout plus a generous import allowance is stuck (say,
        # in the framework import): kill it, and its unreported jobs become crashed.
        deadline = time.monotonic() + WORKER_IMPORT_ALLOWANCE_S + len(fw_jobs) * (timeout + 5.0)
        running.append((proc, framework, fw_jobs, folder, log, deadline))

    def collect(proc, framework, fw_jobs, folder, final: bool) -> None:
        info_path = folder / "worker-info.json"
        info: dict[str, Any] | None = None   # read once a result is there: this loop runs while jobs are timed

        def worker_info() -> dict[str, Any]:
            nonlocal info
            if info is None:
                info = read_json(info_path) if info_path.exists() else {}
            return info

        for job in fw_jobs:
            if job.job_id in outcomes:
                continue
            path = folder / f"{job.job_id}.json"
            if path.exists():
                publish(JobOutcome(job, read_json(path), worker_info()))
                if acknowledge:  # taken in: the worker may start the next measurement
                    write_json_atomic(path.with_name(path.name + ACK_SUFFIX), {"job_id": job.job_id})
            elif not final and acknowledge:
                break  # a worker runs its jobs in order: nothing after the first missing one is done yet
            elif final:
                publish(JobOutcome(job, {"job_id": job.job_id, "status": CRASHED,
                                         "error": f"{framework} worker exited with code {proc.returncode} before this job; see {folder / 'worker.log'}"}, worker_info()))

    try:
        while pending or running:
            while pending and len(running) < workers:
                start(*pending.pop(0))
            time.sleep(0.01 if acknowledge else 0.05)  # a waiting worker idles until this loop acknowledges
            for entry in list(running):
                proc, framework, fw_jobs, folder, log, deadline = entry
                if proc.poll() is None and time.monotonic() > deadline:
                    _kill_worker(proc)
                finished = proc.poll() is not None
                collect(proc, framework, fw_jobs, folder, final=finished)
                if finished:
                    log.close()
                    running.remove(entry)
    finally:
        for proc, _framework, _jobs, _folder, log, _deadline in running:  # Ctrl-C: stop workers; finished results are already on disk
            _kill_worker(proc)
            log.close()
    return [outcomes[job.job_id] for job in jobs if job.job_id in outcomes]
