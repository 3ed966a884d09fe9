"""`easeval run`: measure every implementation (correctness, first call, steady state, memory) and
keep every finished measurement in a result file at once.

Two phases. Checks first: each implementation runs once and is judged against the reference, in
several workers at once (one per core): correctness does not depend on load. Then timing, one
process at a time, in `TimingOptions.processes` rounds: each round starts a fresh worker per
framework (a fresh interpreter: its own memory layout, allocator state and thread pools) that forks
a child per correct measurement, so every measurement is timed in independent processes spread
over the run; the frameworks' order rotates from round to round, so drift in the machine's load
does not favour one of them. A record is saved after its check and again after each timing
process; it counts as finished (and reusable by a rerun) once every process has timed it.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from evaluator.corpus import Corpus
from evaluator.environment import Environment, collect_environment, cuda_visible
from evaluator.frameworks import adapter_names, get_adapter
from evaluator.results import Measurement, ProcessTiming, ResultSet, Timing, output_file, outputs_dir, remove_if_larger
from evaluator.runner.agreement import add_agreement
from evaluator.runner.memory import default_memory_limit
from evaluator.runner.plan import Planned, plan
from evaluator.runner.protocol import OK, SKIPPED, STATUSES
from evaluator.runner.recorder import Recorder
from evaluator.runner.scheduler import Job, JobOutcome, available_cores, run_jobs
from evaluator.runner.timing import METHOD, TimingOptions, timing_cpus

DEVICES = ("cpu", "cuda", "auto")
KEEP_OUTPUT_BYTES = 64 * 2**20  # outputs above this are dropped after the cross-framework comparison


@dataclass(frozen=True)
class RunProgress:
    """Units of work done and planned (a check, a timing process, a reused record: one each)."""

    done: int
    total: int
    record: Measurement | None  # the record the unit belonged to; None for an event that starts a stage
    stage: str = ""             # what the run is doing, e.g. "timing, process 2 of 3"


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
    # Where the time went: "checks" and "timing" (wall seconds of the two phases), and inside them
    # "checks: imports" (summed over workers running side by side), "timing: imports",
    # "timing: setup and first calls", "timing: warm-up and timed blocks" (one after the other).
    phase_seconds: dict[str, float] = field(default_factory=dict)
    worker_import_seconds: dict[str, float] = field(default_factory=dict)  # framework -> imports of all its workers

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


_CHECK_FIELDS = ("status", "error", "traceback", "max_abs_error", "max_rel_error", "tolerance_ratio", "device_name",
                 "started_at")
# Memory comes from the first timing process (steady-state calls included), or from the check where
# nothing is timed.
_MEMORY_FIELDS = ("peak_rss_bytes", "baseline_rss_bytes", "fork_rss_bytes", "rss_method", "peak_device_bytes")


def _fill_record(record: Measurement, outcome: JobOutcome, timing: TimingOptions | None) -> Measurement:
    """The planned record completed with its check (a JSON dict: the process boundary). A correct
    output to be timed gets an empty Timing carrying the options, to which processes are added."""
    result = outcome.result
    changes: dict[str, Any] = {k: result[k] for k in _CHECK_FIELDS + _MEMORY_FIELDS if result.get(k) is not None}
    changes["wall_s"] = result.get("wall_seconds")
    if outcome.worker.get("version"):
        changes["framework_version"] = outcome.worker["version"]
    if changes.get("status") == OK and timing is not None:
        changes["timing"] = Timing(method=METHOD, options={**timing.as_dict(), "method": METHOD})
    elif result.get("timing"):  # setup and first call of a failed check, for the reader
        first = result["timing"]
        changes["timing"] = Timing(first_call_s=first.get("first_call_s"), setup_s=first.get("setup_s"), method=METHOD)
    return record.evolve(**changes)


def _add_process(record: Measurement, outcome: JobOutcome, replicate: int, processes: int) -> Measurement:
    """The record with one more timing process; a process that failed makes the record fail, saying which."""
    result = outcome.result
    timing = record.timing or Timing(method=METHOD)
    measured = result.get("timing") or {}
    process = ProcessTiming.from_json({**{k: v for k, v in measured.items() if k not in ("method", "options")},
                                       "pid": result.get("pid"), "worker_pid": result.get("worker_pid")})
    merged = Timing.from_processes((*timing.replicates, process), method=timing.method, options=timing.options)
    changes: dict[str, Any] = {"timing": merged, "wall_s": (record.wall_s or 0.0) + (result.get("wall_seconds") or 0.0)}
    if replicate == 0 or record.rss_method is None:
        changes.update({k: result.get(k) for k in _MEMORY_FIELDS})
    if result.get("status") != OK:
        changes.update(status=result.get("status"), traceback=result.get("traceback"),
                       error=f"in timing process {replicate + 1} of {processes}: {result.get('error')}")
    return record.evolve(**changes)


class _Progress:
    """Counts units of work for `on_progress`: one per check, per timing process, per reused record."""

    def __init__(self, total: int, callback: Callable[[RunProgress], None] | None) -> None:
        self.done, self.total, self.stage, self.callback = 0, total, "", callback

    def start_stage(self, stage: str) -> None:
        self.stage = stage
        self._send(None)

    def advance(self, record: Measurement | None, units: int = 1) -> None:
        self.done += units
        self._send(record)

    def drop(self, units: int) -> None:
        """Work that will not happen (timing of an output that failed its check)."""
        self.total -= units

    def _send(self, record: Measurement | None) -> None:
        if self.callback:
            self.callback(RunProgress(self.done, self.total, record, self.stage))


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
    sizes: tuple[str, ...] | None = None,
    on_progress: Callable[[RunProgress], None] | None = None,
    memory_limit: int | None = None,
    timing: TimingOptions | None = None,
    machine: str | None = None,
    result_set: ResultSet | None = None,
    environment: Environment | None = None,
    code_hashes: dict[tuple[str, str, str], str] | None = None,
    check_workers: int | None = None,
) -> RunSummary:
    """Measure the corpus; every finished measurement is saved at once. Never raises for a task's fault.

    Sizes: `sizes` (or `size_name`), else plan.DEFAULT_SIZES for the device (small and medium on CPU).
    Reuses results in `results_dir` with the same code hash and environment unless `force`.
    `memory_limit` (bytes, per measurement) defaults to three quarters of physical memory.
    `check_workers`: checks run at once (default: available cores / threads).
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
    requested = tuple(sizes) if sizes else ((size_name,) if size_name else None)
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
    planned = plan(corpus, chosen, device, requested, threads, env, timing, results_dir, code_hashes or {})
    options = {"device": device, "threads": threads, "timeout": timeout, "memory_limit_bytes": memory_limit,
               "timing": {**timing.as_dict(), "method": METHOD}, "frameworks": chosen, "force": force,
               "size": size_name, "sizes": list(requested) if requested else None}
    recorder = Recorder(results_dir, env, options, started_at)
    processes = timing.processes

    gpu_missing = device == "cuda" and not cuda_visible(list(env.gpus))
    pending: list[tuple[Planned, int]] = []   # (planned, its slot in the recorder)
    cached = 0
    progress = _Progress(len(planned), on_progress)
    for item in planned:
        record = item.record
        hit = reusable.get((record.code_hash, record.env_key))
        if not item.size_declared:
            recorder.add(record.evolve(status=SKIPPED, error=f"task declares no size {record.size!r}"), new=True)
        elif gpu_missing:
            recorder.add(record.evolve(status=SKIPPED,
                                       error="no NVIDIA GPU visible here (nvidia-smi lists none, or CUDA_VISIBLE_DEVICES "
                                             "hides it); use --device cpu or --device auto"), new=True)
        elif hit:
            cached += 1
            recorder.add(hit[0].evolve(cached_from=hit[1].name), new=False)
        else:
            pending.append((item, recorder.add(record, new=False)))
            progress.total += processes  # a check, then the timing processes
    if len(pending) < len(planned):
        progress.start_stage(f"reusing earlier results ({cached} measurements; {len(planned) - len(pending) - cached} skipped)")
        progress.advance(None, len(planned) - len(pending))

    import_seconds: dict[str, float] = {}
    worker_imports: dict[tuple[str, str, int], float] = {}
    phase_seconds: dict[str, float] = {}

    def note_worker(outcome: JobOutcome) -> None:
        framework = outcome.job.implementation.framework
        seconds = outcome.worker.get("import_seconds")
        if seconds is None:
            return
        phase = "checks" if outcome.job.check else "timing"
        worker_imports[(framework, phase, outcome.worker.get("pid", 0))] = seconds
        if framework not in import_seconds:
            import_seconds[framework] = seconds
            recorder.set_environment(recorder.env.with_import(framework, seconds, outcome.worker.get("version")))

    slots = {item.job.job_id: slot for item, slot in pending}
    to_time: list[tuple[Job, int]] = []

    def on_check(outcome: JobOutcome) -> None:
        note_worker(outcome)
        slot = slots[outcome.job.job_id]
        record = _fill_record(recorder.records[slot], outcome, timing)
        recorder.update(slot, record)
        if record.ok:
            to_time.append((outcome.job, slot))
        else:
            progress.drop(processes)
        progress.advance(record)

    interrupted = False
    if pending:
        outputs_dir(results_dir).mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="easeval-run-") as workdir:
            t = time.perf_counter()
            workers = check_workers or max(1, available_cores() // max(threads, 1))
            if pending:
                progress.start_stage(f"checking correctness ({len(pending)} measurements, {workers} at a time)")
            run_jobs([item.job for item, _ in pending], Path(workdir) / "checks", threads=threads, timeout=timeout,
                     workers=workers, memory_limit=memory_limit, on_outcome=on_check)
            phase_seconds["checks"] = time.perf_counter() - t
            t = time.perf_counter()
            to_time.sort(key=lambda entry: entry[1])  # checks finish in any order; time in plan order
            per_process = timing.per_process().as_dict()
            for replicate in range(processes):
                jobs = _round(to_time, chosen, replicate, per_process, recorder, Path(workdir) / "caches", threads)
                if not jobs:
                    break
                progress.start_stage(f"timing, process {replicate + 1} of {processes} ({len(jobs)} measurements, one at a time)")
                job_slots = {job.job_id: slot for job, slot in jobs}

                def on_time(outcome: JobOutcome, replicate: int = replicate) -> None:
                    note_worker(outcome)
                    slot = job_slots[outcome.job.job_id]
                    before = recorder.records[slot]
                    record = _add_process(before, outcome, replicate, processes)
                    recorder.update(slot, record)
                    if before.ok and not record.ok:
                        progress.drop(processes - replicate - 1)
                    progress.advance(record)

                run_jobs([job for job, _ in jobs], Path(workdir) / f"time{replicate}", threads=threads, timeout=timeout,
                         workers=1, memory_limit=memory_limit, on_outcome=on_time)
            phase_seconds["timing"] = time.perf_counter() - t
    except KeyboardInterrupt:
        interrupted = True

    recorder.replace_records(add_agreement(recorder.records, corpus, results_dir))
    for item, _slot in pending:
        remove_if_larger(output_file(results_dir, item.record.code_hash, item.record.env_key), KEEP_OUTPUT_BYTES)
    recorder.finish(interrupted)
    if recorder.result_file is not None:
        result_set.add(recorder.result_file)

    records = recorder.records  # in plan order: task, size, implementation
    counts = Counter(r.status for r in records)
    totals: dict[str, float] = {}
    for (framework, phase, _pid), seconds in worker_imports.items():
        totals[framework] = totals.get(framework, 0.0) + seconds
        phase_seconds[f"{phase}: imports"] = phase_seconds.get(f"{phase}: imports", 0.0) + seconds
    processes_run = [p for _item, slot in pending if recorder.records[slot].timing
                     for p in recorder.records[slot].timing.replicates]
    if processes_run:
        phase_seconds["timing: setup and first calls"] = sum((p.setup_s or 0.0) + (p.first_call_s or 0.0) for p in processes_run)
        phase_seconds["timing: warm-up and timed blocks"] = sum(p.total_run_s or 0.0 for p in processes_run)
    return RunSummary(
        records=records, results_path=recorder.result_file.path if recorder.result_file else None,
        counts={s: counts[s] for s in STATUSES if counts[s]}, cached=cached,
        wall_seconds=time.perf_counter() - started, import_seconds=import_seconds, device=device,
        notes=_notes(records, device, chosen), problems=list(dict.fromkeys(problems)), interrupted=interrupted,
        environment=recorder.env, result_set=result_set, phase_seconds=phase_seconds, worker_import_seconds=totals,
    )


def _round(to_time: list[tuple[Job, int]], frameworks: list[str], replicate: int, measure: dict[str, Any],
           recorder: Recorder, caches: Path, threads: int = 1) -> list[tuple[Job, int]]:
    """The timing jobs of one round: records still ok, frameworks in an order rotated by one each round.
    A measurement's processes share a compiler-cache folder (the first compiles cold; see worker.py)."""
    rotation = frameworks[replicate % len(frameworks):] + frameworks[:replicate % len(frameworks)]
    position = {name: i for i, name in enumerate(rotation)}
    cpus = tuple(timing_cpus(threads)) if measure.get("pin") else ()
    jobs = [(replace(job, check=False, replicate=replicate, measure=measure, cache_dir=caches / job.job_id, cpus=cpus), slot)
            for job, slot in to_time if recorder.records[slot].ok]
    return sorted(jobs, key=lambda entry: position.get(entry[0].implementation.framework, len(position)))


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

