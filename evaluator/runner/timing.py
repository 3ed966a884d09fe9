"""Steady-state timing of `run(state)`, the way torch.utils.benchmark.Timer does it. Standard library only.

Method (kept in every result as `method`):
1. Warm-up: at least `warmup_calls` calls and `warmup_s` seconds, untimed for the result, after the
   first call (with its tracing and lazy initialisation, measured separately as first-call latency).
2. Block size: the number of calls per block is chosen from the fastest warm-up call so that a block
   lasts at least `block_s` (timer overhead, ~100 ns, is then below 1e-4 of a block), as
   `Timer.blocked_autorange` does.
3. Blocks: the device is synchronised at both edges of every block (and, for an adapter with
   `block_until_ready`, every call's output is waited for: JAX returns before the work is done, and
   its guide times `f(x).block_until_ready()`); blocks are collected until at
   least `min_time_s` of blocks and more than three blocks exist and IQR/median < `dispersion`, or
   until `max_time_s` or the caller's deadline, as `Timer.adaptive_autorange` does.
4. Every sample is kept (seconds per call = block seconds / calls per block); median and IQR use
   linear-interpolated quartiles (as torch's `Measurement` does).
5. Placement: with `pin`, a timing process may run only on as many CPUs as the intra-op thread count
   (`timing_cpus`). TensorFlow runs a tf.function graph (Keras `train_on_batch`, `fit`) on its
   inter-op pool thread while the calling thread waits; when the scheduler puts the two threads on
   different vCPUs of a VM, every hand-over waits for an idle vCPU to wake, and a Keras training step
   took 776 to 1216 µs in eight fresh processes here, against 604 to 682 µs pinned to one CPU
   (benchmarks/README.md). PyTorch and eager Keras run on the calling thread and are unaffected.
6. Replicates: all of the above runs in up to `processes` independent processes (fresh interpreters,
   started one after the other), each with `min_time_s / processes` and `max_time_s / processes`.
   Blocks within one process share its allocator state, thread pools, caches and memory layout, so
   they are not independent draws; the process is the unit of replication, and comparisons use one
   median per process (results.measurement.Timing). A measurement is settled after `min_processes`
   processes whose medians agree within `agree_within` (largest minus smallest, over their median),
   as pyperf stops calibrating once its estimate is stable; otherwise it gets all `processes`.
7. The first process also checks the output (computes the reference and compares, before its
   memory baseline and its steady state), so an implementation is set up and called cold once, not
   once to check and once more to time: its first call is the user's first call, with empty compiler
   caches; the later processes find the caches the first left (see runner/worker.py).

Garbage collection stays enabled (timeit and Timer disable it): cyclic garbage that a framework
creates is a cost its users pay, so it belongs in the measurement. `keep_gc=False` disables it.

The load from other processes during the blocks is kept too (`others_cores`, Linux: the CPU time
the whole machine spent, from /proc/stat, minus this process's own, per second of blocks): on a
shared machine a TensorFlow/Keras call's own CPU time grows by 10% to 80% while another process is
busy on the other core, where a PyTorch call's does not (benchmarks/README.md), so a reader must be
able to see which timings were taken under load.
"""

from __future__ import annotations

import gc
import math
import os
import time
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable

METHOD = "blocked-adaptive-processes-3"  # 3: checked first process, settled after agreeing processes


@dataclass(frozen=True)
class TimingOptions:
    """How long and how finely to time one implementation."""

    warmup_calls: int = 1    # after the first call (timed on its own), so two calls precede the blocks
    warmup_s: float = 0.05   # per process
    block_s: float = 0.02
    # Budgets of timed blocks, all processes together: a cold report times every implementation at
    # two sizes in three processes, and must stay within minutes (benchmarks/bench_report.py).
    min_time_s: float = 0.3
    max_time_s: float = 1.5
    dispersion: float = 0.1  # stop once IQR/median is below this (and min_time_s has passed)
    keep_gc: bool = True
    processes: int = 3       # independent processes at most; min_time_s and max_time_s are split among them
    min_processes: int = 2   # processes every measurement gets, agreeing or not
    agree_within: float = 0.05  # settled once the process medians' spread is below this (step 6)
    pin: bool = True         # a timing process runs on as many CPUs as it has threads (runner README)

    def __post_init__(self) -> None:
        if self.processes < 1:
            raise ValueError(f"processes must be at least 1, got {self.processes}")
        if not 1 <= self.min_processes:
            raise ValueError(f"min_processes must be at least 1, got {self.min_processes}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def per_process(self) -> "TimingOptions":
        """The options one of the processes times with: the time budget split evenly between them."""
        return replace(self, min_time_s=self.min_time_s / self.processes, max_time_s=self.max_time_s / self.processes,
                       processes=1, min_processes=1)



def timing_cpus(threads: int, allowed: set[int] | None = None) -> list[int]:
    """The CPUs a timing process with `threads` intra-op threads runs on: the last `threads` of those
    this process may use (CPU 0 usually takes more interrupts)."""
    if allowed is None:
        try:
            allowed = os.sched_getaffinity(0)
        except AttributeError:  # not Linux: no pinning
            return []
    return sorted(allowed)[-max(threads, 1):]


def quantile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated quantile of already sorted values (numpy's and torch's default)."""
    if not sorted_values:
        raise ValueError("quantile of no values")
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def summarize(samples: list[float]) -> dict[str, float]:
    """Median, quartiles and IQR of per-call seconds."""
    ordered = sorted(samples)
    q1, median, q3 = (quantile(ordered, q) for q in (0.25, 0.5, 0.75))
    return {"median_s": median, "q1_s": q1, "q3_s": q3, "iqr_s": q3 - q1}


_PROC_STAT = "/proc/stat"


def _machine_busy_seconds() -> float | None:
    """CPU seconds every process on the machine has used since boot (Linux), steal included; None elsewhere."""
    try:
        with open(_PROC_STAT) as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        ticks = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / ticks


def _minor_faults() -> int | None:
    """Minor page faults of this process so far (every thread); None where getrusage lacks them."""
    try:
        import resource
    except ImportError:  # not Unix
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


class LoadMeter:
    """Cores used by other processes between `start` and `stop`: machine CPU time minus this
    process's own, divided by the wall time. /proc/stat counts in clock ticks (10 ms), so short
    intervals are coarse; None where /proc/stat is missing."""

    def __init__(self) -> None:
        self.machine, self.own, self.wall = _machine_busy_seconds(), time.process_time(), time.monotonic()

    def others_cores(self) -> float | None:
        machine, own, wall = _machine_busy_seconds(), time.process_time(), time.monotonic()
        if machine is None or self.machine is None or wall - self.wall <= 0:
            return None
        return max(0.0, ((machine - self.machine) - (own - self.own)) / (wall - self.wall))


def _time_block(fn: Callable[[Any], Any], state: Any, number: int, sync: Callable[[], None],
                clock: Callable[[], float], ready: Callable[[Any], None] | None = None) -> float:
    sync()
    start = clock()
    if ready is None:
        for _ in range(number):
            fn(state)
    else:  # asynchronous dispatch: a call returns before its output is computed
        for _ in range(number):
            ready(fn(state))
    sync()
    return clock() - start


def measure_steady_state(
    fn: Callable[[Any], Any],
    state: Any,
    adapter: Any,
    device: str,
    *,
    deadline: float | None = None,
    clock: Callable[[], float] = time.perf_counter,
    **options: Any,
) -> dict[str, Any]:
    """Time `fn(state)` after warm-up; `deadline` is a `clock()` value never to pass.

    `adapter` needs `synchronize(device)`, and `block_until_ready(output)` where calls return before
    their work is done (JAX). Options are the fields of `TimingOptions`.
    Returns a JSON-ready dict: median_s, iqr_s, q1_s, q3_s, samples_s, number_per_sample, warmup,
    total_run_s (all time spent calling fn here), stop_reason, others_cores (see LoadMeter),
    faults_per_call (minor page faults per timed call), method, options.
    """
    opts = TimingOptions(**options)
    deadline = math.inf if deadline is None else deadline

    def sync() -> None:
        adapter.synchronize(device)

    ready = getattr(adapter, "block_until_ready", None)

    gc_was_enabled = gc.isenabled()
    if not opts.keep_gc:
        gc.disable()
    try:
        warmup_times: list[float] = []
        warmup_start = clock()
        while (len(warmup_times) < opts.warmup_calls or sum(warmup_times) < opts.warmup_s) and clock() < deadline:
            warmup_times.append(_time_block(fn, state, 1, sync, clock, ready))
        warmup_total = clock() - warmup_start
        fastest = max(min(warmup_times, default=opts.block_s), 1e-9)
        number = max(1, math.ceil(opts.block_s / fastest - 1e-9))  # 1e-9: 0.02/0.002 must give 10, not 11

        blocks: list[float] = []
        stop_reason = "deadline"
        load, faults_before = LoadMeter(), _minor_faults()
        while True:
            elapsed = sum(blocks)
            expected = blocks[-1] if blocks else fastest * number
            if clock() + expected > deadline:
                stop_reason = "deadline"
                break
            blocks.append(_time_block(fn, state, number, sync, clock, ready))
            elapsed += blocks[-1]
            if elapsed >= opts.min_time_s and len(blocks) > 3:
                stats = summarize(blocks)
                if stats["iqr_s"] / stats["median_s"] < opts.dispersion:
                    stop_reason = "dispersion"
                    break
            if elapsed > opts.max_time_s:
                stop_reason = "max_time"
                break
    finally:
        if gc_was_enabled:
            gc.enable()

    others, faults_after = load.others_cores(), _minor_faults()
    samples = [block / number for block in blocks]
    calls = len(blocks) * number
    result: dict[str, Any] = {
        "others_cores": None if others is None else round(others, 3),
        # Page faults per timed call: a call that gets fresh pages from the kernel every time (glibc
        # giving a large buffer back with munmap or trim, and mapping it again) is measurably slower.
        "faults_per_call": None if faults_before is None or faults_after is None or not calls
        else round((faults_after - faults_before) / calls, 2),
        "median_s": None, "q1_s": None, "q3_s": None, "iqr_s": None,
        "samples_s": samples, "number_per_sample": number,
        "warmup": {"calls": len(warmup_times), "seconds": warmup_total},
        "total_run_s": warmup_total + sum(blocks),
        "stop_reason": stop_reason, "method": METHOD, "options": opts.as_dict(),
    }
    if samples:
        result.update(summarize(samples))
    return result
