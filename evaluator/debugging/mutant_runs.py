"""`easeval debug`: run every mutant (and each implementation clean) in the execution harness, classify
what happened, and keep the records in a debug file; a rerun reuses every record it can.

The harness is the runner's own: one worker per framework imports it once and forks a child per job
(`runner/scheduler.py`, `runner/worker.py`), so each mutant runs in a fresh process and no AutoGraph or
Dynamo cache leaks from one mutant to the next. Debugging runs are no timing measurements, so workers
run side by side on every core (several per framework when one framework has most of the work), the
frameworks' lazily imported modules are imported once per worker before forking, and torch.compile's
on-disk cache is shared by the run's jobs. Mutants are written to a scratch folder, never into tasks/.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import evaluator
from evaluator.corpus.discovery import Corpus, Implementation, Task
from evaluator.debugging.messages import loud_phase, message_metrics
from evaluator.debugging.mutants import Mutant, write_mutant
from evaluator.debugging.bug_outcomes import CLEAN_FAILED, INVALID, LOUD, classify, new_warnings, outputs_differ
from evaluator.debugging.debug_plan import SIZE, DebugPlan, Target, plan_debug
from evaluator.debugging.debug_records import (
    METHOD_VERSION, SITE_CACHE, DebugFile, DebugRecord, DebugSet, debug_dir, new_debug_file, save_debug_file,
)
from evaluator.base.environment import Environment, collect_environment
from evaluator.frameworks import get_adapter
from evaluator.corpus.glue_markers import split_glue
from evaluator.results import environment_key, utc_now
from evaluator.base.run_status import OK
from evaluator.runner.scheduler import Job, JobOutcome, run_jobs

CLEAN = "clean"
SAVE_EVERY_S = 2.0
COMPILER_CACHE = "compiler-cache"


@dataclass(frozen=True)
class DebugOptions:
    aids: bool = True
    threads: int = 1
    timeout: float = 120.0            # a cold torch.compile takes a minute on a loaded 2-core machine
    workers: int | None = None        # worker processes in all; default: every core
    force: bool = False
    machine: str | None = None
    # Only the implementations that are a side of one of these comparisons (pairing.py's names) in their
    # task; None: every mutated implementation. The main job runs claim 8's ("primary") by default.
    comparisons: tuple[str, ...] | None = None


@dataclass(frozen=True)
class DebugProgress:
    done: int
    total: int
    record: DebugRecord | None


@dataclass
class DebugRun:
    plan: DebugPlan
    records: list[DebugRecord]           # every record of the plan, reused or new
    debug_file: Path | None              # the file this run wrote (None when everything was cached)
    cached: int
    ran: int
    wall_seconds: float
    workers: int
    problems: list[str] = field(default_factory=list)
    interrupted: bool = False


def env_key(environment: Environment, framework: str, threads: int, aids: bool) -> str:
    return environment_key(environment, framework, "cpu", threads, {"debug": METHOD_VERSION, "aids": aids})


@dataclass
class _Unit:
    """One implementation's clean run and its mutants, with or without aids: run by one worker, clean first."""

    target: Target
    aids: bool
    mutants: list[Mutant]

    @property
    def framework(self) -> str:
        return self.target.implementation.framework

    @property
    def cost(self) -> float:
        return (len(self.mutants) + 1) * debug_cost(self.framework)


def debug_cost(framework: str) -> float:
    """Relative cost of one debugging job of `framework` (the adapter's DEBUG_COST; 1.0 if it declares none)."""
    return float(getattr(get_adapter(framework), "DEBUG_COST", 1.0))


def debug_preload(frameworks) -> dict[str, list[str]]:
    """Modules each framework's debugging jobs would import lazily in every forked child (the adapters'
    DEBUG_PRELOAD), imported once per worker instead."""
    return {f: list(getattr(get_adapter(f), "DEBUG_PRELOAD", ())) for f in frameworks}


def is_multi_process(target: Target) -> bool:
    """A task tagged `distributed` forks processes (ranks) of its own."""
    return "distributed" in (target.task.metadata.tags if target.task.metadata else ())


def split_multi_process(units: list[_Unit]) -> tuple[list[_Unit], list[list[_Unit]]]:
    """(the units that share workers, one shard per framework of multi-process units). A multi-process
    task's jobs run the way `easeval check` and the timing harness run them: in a worker of their own
    that imports nothing beyond the adapter's PRELOAD_MODULES (no DEBUG_PRELOAD), each job with its own
    temp folder (worker.py), so a forked rank inherits nothing a debugging worker alone has."""
    shared, own = [], {}
    for unit in units:
        if is_multi_process(unit.target):
            own.setdefault(unit.framework, []).append(unit)
        else:
            shared.append(unit)
    return shared, [own[f] for f in sorted(own)]


def shard_units(units: list[_Unit], workers: int) -> list[list[_Unit]]:
    """Units shared out to at most `workers` single-framework workers, in proportion to their cost."""
    by_framework: dict[str, list[_Unit]] = {}
    for unit in units:
        by_framework.setdefault(unit.framework, []).append(unit)
    total = sum(u.cost for u in units) or 1.0
    shards: list[list[_Unit]] = []
    budget = max(workers, len(by_framework))
    for framework, mine in sorted(by_framework.items(), key=lambda item: -sum(u.cost for u in item[1])):
        cost = sum(u.cost for u in mine)
        count = max(1, min(len(mine), round(budget * cost / total)))
        loads = [[0.0, []] for _ in range(count)]
        for unit in sorted(mine, key=lambda u: -u.cost):  # greedy: the largest unit to the lightest worker
            lightest = min(loads, key=lambda load: load[0])
            lightest[0] += unit.cost
            lightest[1].append(unit)
        shards += [load[1] for load in loads if load[1]]
    return shards


def _record_base(target: Target, mutant: Mutant | None, aids: bool, environment: Environment, threads: int) -> DebugRecord:
    impl = target.implementation
    site = mutant.site if mutant else None
    lines = target.source.splitlines()
    original = "\n".join(lines[site.line - 1:site.end_line]) if site else ""
    mutated = "\n".join(mutant.source.splitlines()[site.line - 1:site.end_line]) if site else ""
    return DebugRecord(
        task=target.task.task_id, impl_key=impl.key, framework=impl.framework, operator=site.operator if site else None,
        site_id=site.site_id if site else CLEAN, aids=aids, status="planned", outcome="planned",
        role=site.role if site else "", anchor=site.anchor if site else "", function=site.function if site else "",
        line=site.line if site else None, end_line=site.end_line if site else None,
        original_code=original, mutated_code=mutated,
        mutant_hash=target.mutant_hash(mutant) if mutant else target.clean_hash,
        env_key=env_key(environment, impl.framework, threads, aids), machine=environment.machine,
        method_version=METHOD_VERSION,
        framework_version=environment.framework_version(impl.framework),
    )


def _finish_record(base: DebugRecord, result: dict[str, Any], clean: dict[str, Any] | None, user_file: str,
                   output: Path, clean_output: Path | None, harness: tuple[str, ...], version: str | None,
                   glue_lines: frozenset[int] = frozenset(), timeout: float | None = None,
                   mutant: Mutant | None = None) -> DebugRecord:
    """The planned record completed with the worker's result (a JSON dict) and its classification. A loud
    failure of the mutation's own inserted code on its value (`mutant.misfit`) makes the mutant invalid."""
    status = result.get("status", "crashed")
    warnings = list(result.get("warnings") or [])
    common = dict(status=status, error=result.get("error"), exception_type=result.get("exception_type"),
                  message=result.get("message"), traceback=result.get("traceback"), worker_phase=result.get("phase"),
                  max_abs_error=result.get("max_abs_error"), tolerance_ratio=result.get("tolerance_ratio"),
                  steps_completed=result.get("steps_completed"), wall_s=result.get("wall_seconds"),
                  started_at=result.get("started_at") or utc_now(), framework_version=version or base.framework_version,
                  timeout_s=timeout, warnings=warnings)
    if base.operator is None:
        return base.evolve(outcome=CLEAN if status == OK else INVALID, **common)
    if result.get("clean_failed"):   # not run: the worker saw its implementation's clean run fail
        return base.evolve(outcome=CLEAN_FAILED, skip_reason=result.get("error"), **common)
    clean_status = clean.get("status") if clean else None
    differs = outputs_differ(output, clean_output) if status == OK and clean_status == OK and clean_output else None
    planted = (base.line or 0, base.end_line or 0)
    metrics = message_metrics(result.get("message") or "", result.get("traceback") or "", user_file, planted, harness,
                              function=base.function)
    new = new_warnings(warnings, (clean or {}).get("warnings"))
    outcome = classify(status, clean_status, differs, phase=result.get("phase"), has_traceback=bool(result.get("traceback")),
                       raised_in_glue=metrics.innermost_user_line in glue_lines, warned=bool(new))
    if outcome == LOUD and mutant is not None and mutant.misfit(result.get("exception_type"), result.get("message"),
                                                               metrics.innermost_user_line):
        return base.evolve(outcome=INVALID, differs_from_clean=differs, new_warnings=len(new), **common,
                           skip_reason=f"ill-formed: the mutation's own code does not fit the value at its site "
                                       f"({result.get('exception_type')}: {(result.get('message') or '')[:200]})")
    record = base.evolve(outcome=outcome, differs_from_clean=differs, new_warnings=len(new), **common)
    if outcome == LOUD:
        record = record.evolve(phase=loud_phase(result.get("phase"), result.get("traceback") or "", user_file, harness,
                                                result.get("message") or ""),
                               **{k: v for k, v in vars(metrics).items() if k != "innermost_user_line"})
    return record


class _Recorder:
    """Collects records; saves the new ones in this run's debug file, at most every SAVE_EVERY_S."""

    def __init__(self, results_dir: Path, environment: Environment, options: dict[str, Any], total: int,
                 on_progress: Callable[[DebugProgress], None] | None) -> None:
        self.results_dir, self.environment, self.options = results_dir, environment, options
        self.total, self.on_progress = total, on_progress
        self.records: list[DebugRecord] = []
        self.file: DebugFile | None = None
        self.saved_at = 0.0
        self.lock = threading.Lock()
        if on_progress:
            on_progress(DebugProgress(0, total, None))

    def add(self, record: DebugRecord, *, new: bool) -> None:
        with self.lock:
            self.records.append(record)
            if new:
                if self.file is None:
                    self.file = new_debug_file(self.results_dir, self.environment, self.options)
                self.file.records.append(record)
                if time.monotonic() - self.saved_at > SAVE_EVERY_S:
                    save_debug_file(self.file)
                    self.saved_at = time.monotonic()
            if self.on_progress:
                self.on_progress(DebugProgress(len(self.records), self.total, record))

    def finish(self, interrupted: bool) -> None:
        if self.file is not None:
            self.file.run.update(finished_at=utc_now(), complete=not interrupted)
            self.file.environment = self.environment
            save_debug_file(self.file)


def in_scope(plan: DebugPlan, comparisons: tuple[str, ...] | None) -> list[Target]:
    """The plan's targets that are a side of one of `comparisons` in their task (all when None)."""
    if comparisons is None:
        return list(plan.targets)
    sides = {(task, key) for task, found in plan.comparisons.items() for c in found if c.name in comparisons
             for key in (c.a, c.b)}
    return [t for t in plan.targets if (t.task.task_id, t.implementation.key) in sides]


def run_debug(corpus: Corpus, *, task_ids: list[str] | tuple[str, ...] | None = None,
              operators: list[str] | tuple[str, ...] | None = None, options: DebugOptions = DebugOptions(),
              results_dir: Path = Path("results"), on_progress: Callable[[DebugProgress], None] | None = None,
              scratch_parent: Path | None = None) -> DebugRun:
    """Plan, reuse what is cached, run the rest, classify. Never raises for a task's fault."""
    started = time.perf_counter()
    if task_ids:
        corpus = corpus.select(task_ids)
    plan = plan_debug(corpus, operators, debug_dir(results_dir) / SITE_CACHE)
    problems = [str(p) for p in corpus.all_problems] + plan.problems
    frameworks = sorted({t.implementation.framework for t in plan.targets})
    environment = collect_environment(corpus.root, machine=options.machine,
                                      import_names={f: get_adapter(f).IMPORT_NAME for f in frameworks})
    debug_set = DebugSet.load(results_dir)
    problems += [f"skipped debug file {p}" for p in debug_set.problems]
    reusable = {} if options.force else debug_set.cache_index(options.timeout)
    settings = (False, True) if options.aids else (False,)

    units: list[_Unit] = []
    reused: list[DebugRecord] = []
    for aids in settings:
        for target in in_scope(plan, options.comparisons):
            mutants = plan.mutants.get(target.key, [])
            clean_base = _record_base(target, None, aids, environment, options.threads)
            pending = []
            for mutant in mutants:
                base = _record_base(target, mutant, aids, environment, options.threads)
                hit = reusable.get((base.mutant_hash, base.env_key))
                if hit is not None:
                    reused.append(hit)
                else:
                    pending.append(mutant)
            clean_hit = reusable.get((clean_base.mutant_hash, clean_base.env_key))
            if pending or clean_hit is None:  # the clean run's output is the second oracle of every mutant run now
                units.append(_Unit(target, aids, pending))
            else:
                reused.append(clean_hit)

    total = len(reused) + sum(len(u.mutants) + 1 for u in units)
    workers = max(1, options.workers or os.cpu_count() or 1)
    run_options = {"aids": options.aids, "threads": options.threads, "timeout": options.timeout, "workers": workers,
                   "operators": list(plan.operators), "tasks": list(task_ids or []), "force": options.force,
                   "comparisons": list(options.comparisons) if options.comparisons is not None else None,
                   "method_version": METHOD_VERSION}
    recorder = _Recorder(Path(results_dir), environment, run_options, total, on_progress)
    for record in reused:
        recorder.add(record, new=False)

    interrupted = False
    if units:
        # torch.compile's on-disk cache lives with the records: a rerun after an edit recompiles only
        # what changed (a cold run, with an empty results folder, compiles everything)
        interrupted = _run_units(units, plan, environment, options, recorder, scratch_parent, workers,
                                 debug_dir(results_dir) / COMPILER_CACHE)
    recorder.finish(interrupted)
    order = {(t.task.task_id, t.implementation.key): i for i, t in enumerate(plan.targets)}
    records = sorted(recorder.records, key=lambda r: (order.get((r.task, r.impl_key), 0), r.aids, r.line or 0, r.site_id))
    return DebugRun(plan, records, recorder.file.path if recorder.file else None, len(reused),
                    len(recorder.records) - len(reused), time.perf_counter() - started, workers if units else 0,
                    list(dict.fromkeys(problems)), interrupted)


def _run_units(units: list[_Unit], plan: DebugPlan, environment: Environment, options: DebugOptions,
               recorder: _Recorder, scratch_parent: Path | None, workers: int, compiler_cache_dir: Path) -> bool:
    """Run the units in sharded workers; returns whether the run was interrupted."""
    harness = (str(Path(evaluator.__file__).resolve().parent),)
    lock = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="easeval-debug-", dir=scratch_parent) as scratch_name:
        scratch = Path(scratch_name)
        compiler_cache = compiler_cache_dir
        meta: dict[str, tuple[DebugRecord, str, Path, tuple[str, str, bool] | None]] = {}
        clean_results: dict[tuple[str, str, bool], tuple[dict[str, Any], Path]] = {}
        shards: list[list[Job]] = []
        glue = {u.target.key: frozenset(split_glue(u.target.source).glue_lines) for u in units}
        shared, multi_process_shards = split_multi_process(units)
        plain: set[int] = set()   # shards run without DEBUG_PRELOAD (multi-process tasks)
        for shard in shard_units(shared, max(1, workers - len(multi_process_shards))) + multi_process_shards:
            if shard and is_multi_process(shard[0].target):
                plain.add(len(shards))
            jobs = []
            for unit in shard:
                target = unit.target
                for mutant in [None, *unit.mutants]:
                    base = _record_base(target, mutant, unit.aids, environment, options.threads)
                    tag = base.mutant_hash[:16] + ("-aids" if unit.aids else "")
                    if mutant is None:
                        clean_job_id = None
                    path = write_mutant(mutant, scratch / "mutants") if mutant else target.implementation.path
                    impl = Implementation(target.task.task_id, target.implementation.framework,
                                          target.implementation.variant, path)
                    task = Task(f"{target.task.task_id}~{tag}", target.task.path, target.task.metadata, (impl,))
                    output = scratch / "outputs" / f"{tag}.npz"
                    output.parent.mkdir(parents=True, exist_ok=True)
                    # a mutant runs only after its clean run passed (the worker checks: same worker, clean first);
                    # a multi-process task (tagged distributed: it forks ranks that rendezvous through files under
                    # the temp folder) gets a temp folder of its own, as the timing harness gives every job,
                    # instead of the shared compiler-cache folder
                    multi_process = is_multi_process(target)
                    settings = {"aids": unit.aids, "after_clean": clean_job_id,
                                "compiler_cache_dir": None if multi_process else str(compiler_cache)}
                    # a multi-backend framework (Keras) is debugged on its default backend, named on the job
                    job = Job(task, impl, "cpu", SIZE, measure=None, output_path=output, debug=settings,
                              backend=getattr(get_adapter(impl.framework), "DEFAULT_BACKEND", None))
                    if mutant is None:
                        clean_job_id = job.job_id
                    clean_key = (target.task.task_id, target.implementation.key, unit.aids)
                    meta[job.job_id] = (base, str(path.resolve()), output, None if mutant is None else clean_key, mutant)
                    jobs.append(job)
            shards.append(jobs)

        def on_outcome(outcome: JobOutcome) -> None:
            base, user_file, output, clean_key, mutant = meta[outcome.job.job_id]
            with lock:
                if clean_key is None:
                    clean_results[(base.task, base.impl_key, base.aids)] = (outcome.result, output)
                    clean, clean_output = None, None
                else:
                    clean, clean_output = clean_results.get(clean_key, (None, None))
            spec = str(outcome.job.task.spec_path.resolve())
            record = _finish_record(base, outcome.result, clean, user_file, output, clean_output, harness + (spec,),
                                    outcome.worker.get("version"), glue[(base.task, base.impl_key)], options.timeout,
                                    mutant)
            recorder.add(record, new=True)

        def run_shard(index: int, jobs: list[Job]) -> None:
            # One worker per shard (the shards already use every core), so a mutant runs after the clean run
            # of its implementation in the same worker: its classification needs that clean output.
            # A multi-process task's shard preloads nothing beyond the adapter's PRELOAD_MODULES, as check and timing.
            preload = None if index in plain else debug_preload(sorted({u.framework for u in units}))
            run_jobs(jobs, scratch / "work" / str(index), threads=options.threads, timeout=options.timeout,
                     parallel=True, workers=1, on_outcome=on_outcome, preload=preload)

        pool = ThreadPoolExecutor(max_workers=len(shards))
        try:
            for future in [pool.submit(run_shard, i, jobs) for i, jobs in enumerate(shards)]:
                future.result()
        except KeyboardInterrupt:  # workers die with this process (PR_SET_PDEATHSIG); finished records are kept
            pool.shutdown(wait=False, cancel_futures=True)
            return True
        pool.shutdown()
    return False
