"""`easeval run`: measure every implementation (correctness, first call, steady state, memory) and
keep every finished measurement in a result file at once.

Timing runs one process at a time, in up to `TimingOptions.processes` rounds: each round starts a
fresh worker per framework (a fresh interpreter: its own memory layout, allocator state and thread
pools) that forks a child per measurement, so every measurement is timed in independent processes
spread over the run; the frameworks' order rotates from round to round, so drift in the machine's
load does not favour one of them. The first round also checks each output against the reference
(before timing it): an implementation is set up and called cold once, where a separate check pass
used to do it twice (and compile a `torch.compile` graph twice). Later rounds time only what
passed, and only until the measurement is settled (`TimingOptions.min_processes` agreeing within
`agree_within`, else every process). A record is saved after each process; it counts as finished
(and reusable by a rerun) once settled.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from evaluator.corpus.discovery import Corpus
from evaluator.base.environment import Environment, collect_environment, cuda_visible
from evaluator.frameworks import adapter_names, backends_of, get_adapter
from evaluator.results import Measurement, ProcessTiming, ResultSet, Timing, output_file, outputs_dir, remove_if_larger
from evaluator.runner.agreement import add_agreement
from evaluator.runner.memory import default_memory_limit
from evaluator.runner.run_plan import Planned, plan
from evaluator.base.run_status import OK, SKIPPED, STATUSES
from evaluator.runner.recorder import Recorder
from evaluator.runner.scheduler import Job, JobOutcome, run_jobs
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
    # Where the time went: "timing" (wall seconds), "timing: process N" (each round; the first also
    # checks), and inside them "timing: imports",
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
                                       "pid": result.get("pid"), "worker_pid": result.get("worker_pid"),
                                       "steps_s": result.get("steps_s")})
    merged = Timing.from_processes((*timing.replicates, process), method=timing.method, options=timing.options)
    # wall_s sums the processes; the first process's result has already filled the record (_fill_record)
    earlier = (record.wall_s or 0.0) if replicate else 0.0
    changes: dict[str, Any] = {"timing": merged, "wall_s": earlier + (result.get("wall_seconds") or 0.0)}
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
    remeasure: Callable[[Measurement], bool] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> RunSummary:
    """Measure the corpus; every finished measurement is saved at once. Never raises for a task's fault.

    Sizes: `sizes` (or `size_name`), else plan.DEFAULT_SIZES for the device (small and medium on CPU).
    Reuses results in `results_dir` with the same code hash and environment unless `force`.
    `memory_limit` (bytes, per measurement) defaults to three quarters of physical memory.
    On Ctrl-C returns what finished, with `interrupted` set (the result file says so too).
    `result_set`, `environment` and `code_hashes` let a caller that already has them (the report) pass
    them in, so the folder is scanned, the environment collected and the code hashed once.
    `remeasure`: a stored record it accepts is measured again instead of reused (the report's
    --remeasure-disturbed). `on_start(n)` is called once, before the first of n new measurements
    starts (not at all when everything is reused): the report writes its first version then.
    """
    started, started_at = time.perf_counter(), datetime.now(timezone.utc)
    device = resolve_device(device)
    timing = timing or TimingOptions()
    memory_limit = default_memory_limit() if memory_limit is None else memory_limit
    results_dir = Path(results_dir)
    requested = tuple(sizes) if sizes else ((size_name,) if size_name else None)
    corpus, chosen = _select(corpus, task_ids, frameworks)
    measured = list(dict.fromkeys(chosen + [b for n in chosen for b in backends_of(n)]))  # Keras's backends: their versions too
    env = environment or collect_environment(corpus.root, machine=machine,
                                             import_names={n: get_adapter(n).IMPORT_NAME for n in measured})
    result_set = result_set if result_set is not None else ResultSet.load(results_dir)
    planned = plan(corpus, chosen, device, requested, threads, env, timing, results_dir, code_hashes or {})
    options = {"device": device, "threads": threads, "timeout": timeout, "memory_limit_bytes": memory_limit,
               "timing": {**timing.as_dict(), "method": METHOD}, "frameworks": chosen, "force": force,
               "size": size_name, "sizes": list(requested) if requested else None}
    run = _CorpusRun(corpus, chosen, device, threads, timeout, memory_limit, timing, results_dir, result_set,
                     Recorder(results_dir, env, options, started_at), _Progress(len(planned), on_progress))
    run.sort_planned(planned, reusable={} if force else result_set.cache_index(),
                     gpu_missing=device == "cuda" and not cuda_visible(list(env.gpus)), remeasure=remeasure)
    if run.pending and on_start is not None:
        on_start(len(run.pending))
    run.measure()
    run.finish()
    return run.summary(started)


def _select(corpus: Corpus, task_ids, frameworks) -> tuple[Corpus, list[str]]:
    """The tasks and frameworks to run; a ValueError for a static-only corpus or an unknown framework."""
    if corpus.static_only:  # never run code from a folder without specs, least of all an imported one
        raise ValueError(f"{corpus.root}: static-only corpus ({corpus.static_only_reason}); nothing is run. "
                         "Use `easeval analyze` or `easeval report --corpus NAME=DIR`")
    if task_ids:
        corpus = corpus.select(task_ids)
    unknown = [f for f in frameworks or () if f not in adapter_names()]
    if unknown:
        raise ValueError(f"unknown framework(s) {', '.join(unknown)}; known: {', '.join(adapter_names())}")
    return corpus, list(frameworks) if frameworks else adapter_names()


@dataclass
class _CorpusRun:
    """The state of one `run_corpus` call, so that it reads as its steps: sort the plan into skipped,
    reused and pending measurements; check the pending ones; time those that passed; finish the file."""

    corpus: Corpus
    chosen: list[str]
    device: str
    threads: int
    timeout: float
    memory_limit: int
    timing: TimingOptions
    results_dir: Path
    result_set: ResultSet
    recorder: Recorder
    progress: _Progress
    pending: list[tuple[Planned, int]] = field(default_factory=list)   # (planned, its slot in the recorder)
    to_time: list[tuple[Job, int]] = field(default_factory=list)       # checked and correct: (job, slot)
    cached: int = 0
    interrupted: bool = False
    import_seconds: dict[str, float] = field(default_factory=dict)
    worker_imports: dict[tuple[str, str, int], float] = field(default_factory=dict)
    phase_seconds: dict[str, float] = field(default_factory=dict)

    def sort_planned(self, planned: list[Planned], reusable: dict, gpu_missing: bool,
                     remeasure: Callable[[Measurement], bool] | None = None) -> None:
        """Skip what cannot run, reuse what is cached, keep the rest pending (a check, then the timing processes)."""
        for item in planned:
            record = item.record
            hit = reusable.get((record.code_hash, record.env_key))
            if hit and remeasure is not None and remeasure(hit[0]):
                hit = None
            if not item.size_declared:
                self.recorder.add(record.evolve(status=SKIPPED, error=f"task declares no size {record.size!r}"), new=True)
            elif gpu_missing:
                self.recorder.add(record.evolve(status=SKIPPED,
                                                error="no NVIDIA GPU visible here (nvidia-smi lists none, or CUDA_VISIBLE_DEVICES "
                                                      "hides it); use --device cpu or --device auto"), new=True)
            elif hit:
                self.cached += 1
                self.recorder.add(hit[0].evolve(cached_from=hit[1].name), new=False)
            else:
                self.pending.append((item, self.recorder.add(record, new=False)))
                self.progress.total += self.timing.processes - 1  # the first process is the planned unit
        if len(self.pending) < len(planned):
            skipped = len(planned) - len(self.pending) - self.cached
            self.progress.start_stage(f"reusing earlier results ({self.cached} measurements; {skipped} skipped)")
            self.progress.advance(None, len(planned) - len(self.pending))

    def measure(self) -> None:
        """The checked first process of every measurement, then the others; Ctrl-C keeps what finished."""
        if self.pending:
            outputs_dir(self.results_dir).mkdir(parents=True, exist_ok=True)
        try:
            with tempfile.TemporaryDirectory(prefix="easeval-run-") as workdir:
                self._time(Path(workdir))
        except KeyboardInterrupt:
            self.interrupted = True

    def _time(self, workdir: Path) -> None:
        started = time.perf_counter()
        processes = self.timing.processes
        per_process = self.timing.per_process().as_dict()
        to_check = [(item.job, slot) for item, slot in self.pending]
        for replicate in range(processes):
            if replicate == 0:
                jobs = _round(to_check, self.chosen, 0, per_process, None, workdir / "caches", self.threads)
                stage = f"checking and timing, process 1 of {processes} ({len(jobs)} measurements, one at a time)"
            else:
                jobs = _round(self.to_time, self.chosen, replicate, per_process, self.recorder, workdir / "caches",
                              self.threads)
                stage = (f"timing, process {replicate + 1} of at most {processes} ({len(jobs)} measurements not yet "
                         f"settled, one at a time)")
            if not jobs:
                break
            self.progress.start_stage(stage)
            round_started = time.perf_counter()
            run_jobs([job for job, _ in jobs], workdir / f"time{replicate}", threads=self.threads, timeout=self.timeout,
                     workers=1, memory_limit=self.memory_limit, acknowledge=True,
                     on_outcome=self._on_time({job.job_id: (original, slot) for (job, slot), (original, _) in
                                               zip(jobs, _originals(jobs, to_check if replicate == 0 else self.to_time))},
                                              replicate))
            self.phase_seconds[f"timing: process {replicate + 1}"] = time.perf_counter() - round_started
            if replicate == 0:
                self.to_time.sort(key=lambda entry: entry[1])  # time the later processes in plan order
        self.phase_seconds["timing"] = time.perf_counter() - started

    def _on_time(self, jobs: dict[str, tuple[Job, int]], replicate: int) -> Callable[[JobOutcome], None]:
        processes = self.timing.processes

        def on_time(outcome: JobOutcome) -> None:
            self._note_worker(outcome)
            original, slot = jobs[outcome.job.job_id]
            before = self.recorder.records[slot]
            if replicate == 0:  # the check's fields first; a correct output then has its first process
                before = _fill_record(before, outcome, self.timing)
                record = _add_process(before, outcome, 0, processes) if before.ok else before
                if record.ok:
                    self.to_time.append((original, slot))
            else:
                record = _add_process(before, outcome, replicate, processes)
            self.recorder.update(slot, record)
            if not record.ok or (record.timing is not None and record.timing.settled):
                self.progress.drop(processes - replicate - 1)  # no further process for this one
            self.progress.advance(record)

        return on_time

    def _note_worker(self, outcome: JobOutcome) -> None:
        framework = outcome.job.implementation.framework
        seconds = outcome.worker.get("import_seconds")
        if seconds is None:
            return
        preloads = outcome.worker.get("preload_seconds") or 0.0
        phase = "timing"
        backend = outcome.job.backend
        label = f"{framework} ({backend} backend)" if backend else framework
        self.worker_imports[(label, phase, outcome.worker.get("pid", 0))] = seconds + preloads
        if label not in self.import_seconds:
            self.import_seconds[label] = seconds
        if framework not in self.recorder.env.frameworks or self.recorder.env.frameworks[framework].import_seconds is None:
            self.recorder.set_environment(self.recorder.env.with_import(framework, seconds, outcome.worker.get("version")))

    def finish(self) -> None:
        """Agreement across frameworks, large outputs dropped, the result file closed and added to the set."""
        self.recorder.replace_records(add_agreement(self.recorder.records, self.corpus, self.results_dir,
                                                    measured={slot for _item, slot in self.pending}))
        for item, _slot in self.pending:
            remove_if_larger(output_file(self.results_dir, item.record.code_hash, item.record.env_key), KEEP_OUTPUT_BYTES)
        self.recorder.finish(self.interrupted)
        if self.recorder.result_file is not None:
            self.result_set.add(self.recorder.result_file)

    def summary(self, started: float) -> RunSummary:
        records = self.recorder.records  # in plan order: task, size, implementation
        counts = Counter(r.status for r in records)
        return RunSummary(
            records=records, results_path=self.recorder.result_file.path if self.recorder.result_file else None,
            counts={s: counts[s] for s in STATUSES if counts[s]}, cached=self.cached,
            wall_seconds=time.perf_counter() - started, import_seconds=self.import_seconds, device=self.device,
            notes=_notes(records, self.device, self.chosen), problems=self._problems(), interrupted=self.interrupted,
            environment=self.recorder.env, result_set=self.result_set, phase_seconds=self._phases(),
            worker_import_seconds=self._worker_import_totals(),
        )

    def _problems(self) -> list[str]:
        problems = [str(p) for p in self.corpus.all_problems] + [f"skipped result file {p}" for p in self.result_set.problems]
        return list(dict.fromkeys(problems))

    def _worker_import_totals(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for (framework, _phase, _pid), seconds in self.worker_imports.items():
            totals[framework] = totals.get(framework, 0.0) + seconds
        return totals

    def _phases(self) -> dict[str, float]:
        phases = dict(self.phase_seconds)
        for (_framework, phase, _pid), seconds in self.worker_imports.items():
            phases[f"{phase}: imports"] = phases.get(f"{phase}: imports", 0.0) + seconds
        processes_run = [p for _item, slot in self.pending if self.recorder.records[slot].timing
                         for p in self.recorder.records[slot].timing.replicates]
        if processes_run:
            phases["timing: setup and first calls"] = sum((p.setup_s or 0.0) + (p.first_call_s or 0.0) for p in processes_run)
            phases["timing: warm-up and timed blocks"] = sum(p.total_run_s or 0.0 for p in processes_run)
        return phases


def _round(to_time: list[tuple[Job, int]], frameworks: list[str], replicate: int, measure: dict[str, Any],
           recorder: Recorder | None, caches: Path, threads: int = 1) -> list[tuple[Job, int]]:
    """The timing jobs of one round, frameworks in an order rotated by one each round: the first round
    checks every pending measurement (`recorder` None), later ones time the records still ok and not
    settled. A measurement's processes share a compiler-cache folder (the first compiles cold; see worker.py)."""
    rotation = frameworks[replicate % len(frameworks):] + frameworks[:replicate % len(frameworks)]
    position = {name: i for i, name in enumerate(rotation)}
    cpus = tuple(timing_cpus(threads)) if measure.get("pin") else ()

    def wanted(slot: int) -> bool:
        if recorder is None:
            return True
        record = recorder.records[slot]
        return record.ok and not (record.timing is not None and record.timing.settled)

    jobs = [(replace(job, check=replicate == 0, replicate=replicate, measure=measure, cache_dir=caches / job.job_id,
                     cpus=cpus, preload=_compiled_preload(job)), slot)
            for job, slot in to_time if wanted(slot)]
    return sorted(jobs, key=lambda entry: position.get(entry[0].implementation.framework, len(position)))


def _compiled_preload(job: Job) -> tuple[str, ...]:
    """What the worker of a compiled variant's timing imports before forking (the adapter's COMPILED_PRELOAD)."""
    adapter = get_adapter(job.implementation.framework)
    if job.implementation.variant is None or job.implementation.variant != getattr(adapter, "COMPILED_VARIANT", None):
        return ()
    return tuple(getattr(adapter, "COMPILED_PRELOAD", ()))


def _originals(jobs: list[tuple[Job, int]], planned: list[tuple[Job, int]]) -> list[tuple[Job, int]]:
    """The planned job (and slot) behind each job of a round, matched by slot."""
    by_slot = {slot: (job, slot) for job, slot in planned}
    return [by_slot[slot] for _job, slot in jobs]


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

