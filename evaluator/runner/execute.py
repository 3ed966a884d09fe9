"""`easeval run`: measure every implementation (correctness, first call, steady state, memory) and
keep every finished measurement in a result file at once.

Frameworks run one after the other, each in its own worker process that imports the framework once
and forks a child per measurement (see worker.py), so frameworks never share a process and one bad
measurement ends only itself.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from evaluator.corpus import Corpus
from evaluator.environment import Environment, collect_environment, cuda_visible
from evaluator.frameworks import adapter_names, get_adapter
from evaluator.results import (
    Measurement, ResultFile, ResultSet, Timing, code_hash, corpus_code_hashes, environment_key, new_result_file,
    output_file, outputs_dir, remove_if_larger, save_result_file, utc_now,
)
from evaluator.runner.agreement import add_agreement
from evaluator.runner.disk import ResultsNotSaved, is_disk_full
from evaluator.runner.memory import default_memory_limit
from evaluator.runner.protocol import OK, SKIPPED, STATUSES
from evaluator.runner.scheduler import Job, JobOutcome, run_jobs
from evaluator.runner.timing import METHOD, TimingOptions

DEVICES = ("cpu", "cuda", "auto")
KEEP_OUTPUT_BYTES = 64 * 2**20  # outputs above this are dropped after the cross-framework comparison


@dataclass(frozen=True)
class RunProgress:
    done: int
    total: int
    record: Measurement | None  # None for the first event, sent before any measurement


@dataclass
class RunSummary:
    records: list[Measurement]
    results_path: Path | None          # the file this run wrote (None when nothing new was measured)
    counts: dict[str, int]             # status -> number of records (cached ones included)
    cached: int                        # records reused from earlier runs (not measured again)
    wall_seconds: float
    import_seconds: dict[str, float]   # framework -> `import` time in a fresh interpreter, this run
    device: str
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    interrupted: bool = False
    environment: Environment | None = None   # this run's, import times included
    result_set: ResultSet | None = None      # the results folder as loaded, this run's file added

    @property
    def failed(self) -> int:
        """Measurements that ended in neither ok nor skipped."""
        return sum(n for status, n in self.counts.items() if status not in (OK, SKIPPED))


def resolve_device(device: str) -> str:
    """'auto' is cuda when an NVIDIA GPU is visible, else cpu."""
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}; choose from {', '.join(DEVICES)}")
    if device == "auto":
        return "cuda" if cuda_visible() else "cpu"
    return device


def _size_for(task, device: str, size_name: str | None) -> str | None:
    """Explicit size if declared; else small on CPU and large on GPU where the task declares one."""
    sizes = task.metadata.sizes
    if size_name is not None:
        return size_name if size_name in sizes else None
    return "large" if device == "cuda" and "large" in sizes else "small"


def _base_record(job: Job, env: Environment, threads: int, chash: str, ekey: str) -> Measurement:
    impl = job.implementation
    return Measurement(
        task=job.task.task_id, framework=impl.framework, variant=impl.variant, impl_key=impl.key, status="planned",
        device=job.device, size=job.size_name, code_hash=chash, env_key=ekey, machine=env.machine,
        framework_version=env.framework_version(impl.framework), threads=threads, started_at=utc_now(),
    )


_RESULT_FIELDS = ("status", "error", "traceback", "max_abs_error", "max_rel_error", "tolerance_ratio", "peak_rss_bytes",
                  "baseline_rss_bytes", "fork_rss_bytes", "rss_method", "peak_device_bytes", "device_name", "started_at")


def _fill_record(record: Measurement, outcome: JobOutcome) -> Measurement:
    """The planned record completed with what the worker reported (a JSON dict: the process boundary)."""
    result = outcome.result
    changes: dict[str, Any] = {k: result[k] for k in _RESULT_FIELDS if result.get(k) is not None}
    changes["wall_s"] = result.get("wall_seconds")
    timing = dict(result.get("timing") or {})
    if timing or changes.get("status") == OK:
        changes["timing"] = Timing.from_json({"method": METHOD, **timing})
    if outcome.worker.get("version"):
        changes["framework_version"] = outcome.worker["version"]
    return record.evolve(**changes)


class _Recorder:
    """Collects records; saves every new one at once (atomically) in this run's result file."""

    def __init__(self, results_dir: Path, env: Environment, options: dict[str, Any], started_at: datetime,
                 total: int, on_progress: Callable[[RunProgress], None] | None) -> None:
        self.results_dir, self.env, self.options, self.started_at = results_dir, env, options, started_at
        self.total, self.on_progress = total, on_progress
        self.records: list[Measurement] = []
        self.result_file: ResultFile | None = None  # created with the first new record
        self.saved = 0  # records in the result file as last written
        if on_progress:
            on_progress(RunProgress(0, total, None))

    def add(self, record: Measurement, *, new: bool) -> None:
        self.records.append(record)
        if new:
            if self.result_file is None:
                self.result_file = new_result_file(self.results_dir, self.env, self.options, self.started_at)
            self.result_file.records.append(record)
            self._save()
        if self.on_progress:
            self.on_progress(RunProgress(len(self.records), self.total, record))

    def set_environment(self, env: Environment) -> None:
        """Import times arrive with the first measurement of each framework."""
        self.env = env
        if self.result_file is not None:
            self.result_file.environment = env

    def replace_records(self, records: list[Measurement]) -> None:
        """The same measurements with cross-framework agreement added (saved by `finish`)."""
        by_id = {id(old): new for old, new in zip(self.records, records)}
        if self.result_file is not None:
            self.result_file.records = [by_id.get(id(r), r) for r in self.result_file.records]
        self.records = records

    def finish(self, interrupted: bool) -> None:
        if self.result_file is not None:
            self.result_file.run.update(finished_at=utc_now(), complete=not interrupted, interrupted=interrupted)
            self._save()

    def _save(self) -> None:
        """Rewrite the result file; a full disk stops the run with ResultsNotSaved (the file keeps what it had)."""
        assert self.result_file is not None
        try:
            save_result_file(self.result_file)
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            raise ResultsNotSaved(self.results_dir, self.saved, self.result_file.path, exc) from exc
        self.saved = len(self.result_file.records)


def _plan(corpus: Corpus, frameworks: list[str], device: str, size_name: str | None, threads: int,
          env: Environment, timing: TimingOptions, results_dir: Path,
          hashes: dict[tuple[str, str, str], str]) -> list[tuple[Job, Measurement, bool]]:
    """(job, its record so far, whether the task has the size) for every implementation to measure."""
    measure = {**timing.as_dict(), "method": METHOD}
    planned = []
    for task in corpus.tasks:
        if task.metadata is None or not task.spec_path.exists():
            continue  # not measurable; its problems are reported
        size = _size_for(task, device, size_name)
        for impl in task.runnable_implementations:  # the others have a static problem, reported
            if impl.framework not in frameworks:
                continue
            chosen_size = size or size_name or "small"
            chash = hashes.get((task.task_id, impl.key, chosen_size)) or code_hash(task, impl, chosen_size)
            ekey = environment_key(env, impl.framework, device, threads, measure)
            job = Job(task, impl, device, chosen_size, measure=timing.as_dict(),
                      output_path=output_file(results_dir, chash, ekey))
            planned.append((job, _base_record(job, env, threads, chash, ekey), size is not None))
    return planned


def run_corpus(
    corpus: Corpus,
    *,
    task_ids: list[str] | tuple[str, ...] | None = None,
    frameworks: list[str] | tuple[str, ...] | None = None,
    device: str = "cpu",
    threads: int = 1,
    timeout: float = 300.0,
    results_dir: Path = Path("results"),
    force: bool = False,
    size_name: str | None = None,
    on_progress: Callable[[RunProgress], None] | None = None,
    memory_limit: int | None = None,
    timing: TimingOptions | None = None,
    machine: str | None = None,
    result_set: ResultSet | None = None,
    environment: Environment | None = None,
    code_hashes: dict[tuple[str, str, str], str] | None = None,
) -> RunSummary:
    """Measure the corpus; every finished measurement is saved at once. Never raises for a task's fault.

    Reuses results in `results_dir` with the same code hash and environment unless `force`.
    `memory_limit` (bytes, per measurement) defaults to three quarters of physical memory.
    On Ctrl-C returns what finished, with `interrupted` set (the result file says so too).
    `result_set`, `environment` and `code_hashes` let a caller that already has them (the report) pass
    them in, so the folder is scanned, the environment collected and the code hashed once.
    """
    started, started_at = time.perf_counter(), datetime.now(timezone.utc)
    device = resolve_device(device)
    timing = timing or TimingOptions()
    memory_limit = default_memory_limit() if memory_limit is None else memory_limit
    results_dir = Path(results_dir)
    if corpus.static_only:  # never run code from a folder without specs, least of all an imported one
        raise ValueError(f"{corpus.root}: static-only corpus ({corpus.static_only_reason}); nothing is run. "
                         "Use `easeval analyze` or `easeval report --corpus NAME=DIR`")
    if task_ids:
        corpus = corpus.select(task_ids)
    unknown = [f for f in frameworks or () if f not in adapter_names()]
    if unknown:
        raise ValueError(f"unknown framework(s) {', '.join(unknown)}; known: {', '.join(adapter_names())}")
    chosen = list(frameworks) if frameworks else adapter_names()

    env = environment or collect_environment(corpus.root, machine=machine,
                                             import_names={n: get_adapter(n).IMPORT_NAME for n in chosen})
    result_set = result_set if result_set is not None else ResultSet.load(results_dir)
    problems = [str(p) for p in corpus.all_problems] + [f"skipped result file {p}" for p in result_set.problems]
    reusable = {} if force else result_set.cache_index()
    planned = _plan(corpus, chosen, device, size_name, threads, env, timing, results_dir, code_hashes or {})
    options = {"device": device, "threads": threads, "timeout": timeout, "memory_limit_bytes": memory_limit,
               "timing": {**timing.as_dict(), "method": METHOD}, "frameworks": chosen, "force": force, "size": size_name}
    recorder = _Recorder(results_dir, env, options, started_at, len(planned), on_progress)

    gpu_missing = device == "cuda" and not cuda_visible(list(env.gpus))
    pending: list[tuple[Job, Measurement]] = []
    cached = 0
    for job, record, size_ok in planned:
        hit = reusable.get((record.code_hash, record.env_key))
        if not size_ok:
            recorder.add(record.evolve(status=SKIPPED, error=f"task declares no size {size_name!r}"), new=True)
        elif gpu_missing:
            recorder.add(record.evolve(status=SKIPPED,
                                       error="no NVIDIA GPU visible here (nvidia-smi lists none, or CUDA_VISIBLE_DEVICES "
                                             "hides it); use --device cpu or --device auto"), new=True)
        elif hit:
            cached += 1
            recorder.add(hit[0].evolve(cached_from=hit[1].name), new=False)
        else:
            pending.append((job, record))

    by_id = {job.job_id: record for job, record in pending}
    import_seconds: dict[str, float] = {}

    def on_outcome(outcome: JobOutcome) -> None:
        framework = outcome.job.implementation.framework
        if outcome.worker.get("import_seconds") is not None and framework not in import_seconds:
            import_seconds[framework] = outcome.worker["import_seconds"]
            recorder.set_environment(recorder.env.with_import(framework, outcome.worker["import_seconds"],
                                                              outcome.worker.get("version")))
        recorder.add(_fill_record(by_id[outcome.job.job_id], outcome), new=True)

    interrupted = False
    if pending:
        outputs_dir(results_dir).mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="easeval-run-") as workdir:
            run_jobs([job for job, _ in pending], Path(workdir), threads=threads, timeout=timeout, parallel=False,
                     memory_limit=memory_limit, on_outcome=on_outcome)
    except KeyboardInterrupt:
        interrupted = True

    recorder.replace_records(add_agreement(recorder.records, corpus, results_dir))
    for _job, record in pending:
        remove_if_larger(output_file(results_dir, record.code_hash, record.env_key), KEEP_OUTPUT_BYTES)
    recorder.finish(interrupted)
    if recorder.result_file is not None:
        result_set.add(recorder.result_file)

    position = {(job.task.task_id, job.implementation.key): i for i, (job, _, _) in enumerate(planned)}
    records = sorted(recorder.records, key=lambda r: position.get((r.task, r.impl_key), len(position)))
    counts = Counter(r.status for r in records)
    return RunSummary(
        records=records, results_path=recorder.result_file.path if recorder.result_file else None,
        counts={s: counts[s] for s in STATUSES if counts[s]}, cached=cached,
        wall_seconds=time.perf_counter() - started, import_seconds=import_seconds, device=device,
        notes=_notes(records, device, chosen), problems=list(dict.fromkeys(problems)), interrupted=interrupted,
        environment=recorder.env, result_set=result_set,
    )


def _notes(records: list[Measurement], device: str, frameworks: list[str]) -> list[str]:
    """What a reader must know beyond the records: frameworks not measured on the GPU, not installed."""
    notes = []
    for name in frameworks:
        mine = [r for r in records if r.framework == name]
        if not mine:
            continue
        display = get_adapter(name).DISPLAY_NAME
        if device == "cuda" and not any(r.ok for r in mine):
            reason = next((r.error for r in mine if r.error), "no measurement succeeded")
            notes.append(f"{display} was not measured on a GPU in this run: {reason}")
            if name == "tensorflow":
                notes.append("TensorFlow's GPU path (device placement, sync_devices, get_memory_info peak) is "
                             "correct by design and tested on CPU only: easeval's GPU machine has no TensorFlow")
        if all(r.status == SKIPPED for r in mine) and "not installed" in str(mine[0].error):
            notes.append(str(mine[0].error))
    return list(dict.fromkeys(notes))

