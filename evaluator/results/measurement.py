"""One measurement as a typed record. On disk it is the flat JSON object of the result schema
(RECORD_FIELDS); schema 2 added the timing's `replicates`, one per independent process, schema 3 the
`backend` of a multi-backend framework's run (Keras)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

# Statuses whose result depends only on the code and the environment. The others may depend on load,
# limits, what is installed, or a fault of the harness itself (error), so a rerun measures them again.
CACHEABLE_STATUSES = ("ok", "incorrect")


def _median(values: list[float]) -> float | None:
    """Median (the mean of the middle two for an even count); None for no values. Standard library only."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _quartiles(values: list[float]) -> tuple[float, float, float] | None:
    """Linear-interpolated q1, median, q3 (numpy's and torch's default), as runner.timing computes them."""
    ordered = sorted(values)
    if not ordered:
        return None

    def quantile(q: float) -> float:
        position = (len(ordered) - 1) * q
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return quantile(0.25), quantile(0.5), quantile(0.75)


@dataclass(frozen=True)
class ProcessTiming:
    """Steady-state timing in one process, the unit of replication: repeats within one process share
    its allocator state, thread pools, caches and memory layout, so they are not independent."""

    median_s: float | None = None
    iqr_s: float | None = None
    samples_s: tuple[float, ...] = ()
    number_per_sample: int | None = None
    warmup: dict[str, Any] | None = None
    first_call_s: float | None = None
    setup_s: float | None = None
    total_run_s: float | None = None
    stop_reason: str | None = None
    pid: int | None = None            # the process that timed (a fork of the worker)
    worker_pid: int | None = None     # its worker: a fresh interpreter per timing round
    others_cores: float | None = None  # cores other processes used during the blocks (runner.timing.LoadMeter)
    faults_per_call: float | None = None  # minor page faults per timed call
    cpus: tuple[int, ...] = ()        # the CPUs it was allowed to run on (TimingOptions.pin)
    # wall seconds of the process's steps (runner/worker.py: after fork, configure, load, first call,
    # check, timing, write and exit): where the harness's own time goes (benchmarks/bench_report.py)
    steps_s: dict[str, float] | None = None

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["samples_s"] = list(self.samples_s)
        data["cpus"] = list(self.cpus)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ProcessTiming":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["samples_s"] = tuple(data.get("samples_s") or ())
        values["cpus"] = tuple(data.get("cpus") or ())
        return cls(**values)


@dataclass(frozen=True)
class Timing:
    """Steady-state timing of one measurement, made of independent processes (`replicates`).

    `median_s` is the median of the process medians, `setup_s` the median of the processes' setups.
    `first_call_s` is the first process's: the later ones may find caches it left on disk
    (torch.compile's), as a user's second run would, so only the first is a user's first run.
    `samples_s`, `q1_s`, `q3_s` and
    `iqr_s` pool every process's samples: they show the noise within processes, `process_spread` the
    noise between them. A record of result schema 1 has one process.
    """

    median_s: float | None = None
    iqr_s: float | None = None
    q1_s: float | None = None
    q3_s: float | None = None
    samples_s: tuple[float, ...] = ()
    number_per_sample: int | None = None
    warmup: dict[str, Any] | None = None
    first_call_s: float | None = None
    setup_s: float | None = None
    total_run_s: float | None = None
    stop_reason: str | None = None
    method: str | None = None
    options: dict[str, Any] | None = None
    replicates: tuple[ProcessTiming, ...] = ()

    @property
    def process_medians_s(self) -> tuple[float, ...]:
        """One median per process that produced samples; a record without replicates counts as one."""
        medians = tuple(r.median_s for r in self.replicates if r.median_s is not None and r.samples_s)
        if not medians and self.median_s is not None and self.samples_s:
            return (self.median_s,)
        return medians

    @property
    def process_spread(self) -> float | None:
        """Between-process spread: (largest - smallest process median) / median of them; None below 2 processes."""
        medians = self.process_medians_s
        if len(medians) < 2:
            return None
        return (max(medians) - min(medians)) / _median(list(medians))

    @property
    def others_cores(self) -> float | None:
        """The most cores other processes used while any of this measurement's processes timed."""
        loads = [r.others_cores for r in self.replicates if r.others_cores is not None]
        return max(loads) if loads else None

    @property
    def processes_wanted(self) -> int:
        return int((self.options or {}).get("processes") or 1)

    @property
    def settled(self) -> bool:
        """Every process the options ask for has timed it, or (options with `agree_within`) at least
        `min_processes` have and their medians agree within it (runner.timing, step 6)."""
        done = len(self.process_medians_s)
        if done >= self.processes_wanted:
            return True
        options = self.options or {}
        least, within = options.get("min_processes"), options.get("agree_within")
        if least is None or within is None or done < max(int(least), 2):
            return False
        return self.process_spread is not None and self.process_spread <= float(within)

    @classmethod
    def from_processes(cls, processes: list[ProcessTiming] | tuple[ProcessTiming, ...], *, method: str | None = None,
                       options: dict[str, Any] | None = None) -> "Timing":
        """Merge the timings of independent processes of one measurement (in the order they ran)."""
        processes = tuple(processes)
        timed = [p for p in processes if p.samples_s and p.median_s is not None]
        pooled = tuple(s for p in timed for s in p.samples_s)
        quartiles = _quartiles(list(pooled))
        numbers = {p.number_per_sample for p in timed}
        reasons = [p.stop_reason for p in timed if p.stop_reason]
        warmups = [p.warmup for p in timed if p.warmup]
        return cls(
            median_s=_median([p.median_s for p in timed]),
            iqr_s=quartiles[2] - quartiles[0] if quartiles else None,
            q1_s=quartiles[0] if quartiles else None, q3_s=quartiles[2] if quartiles else None,
            samples_s=pooled, number_per_sample=numbers.pop() if len(numbers) == 1 else None,
            warmup={"calls": sum(w.get("calls", 0) for w in warmups), "seconds": sum(w.get("seconds", 0.0) for w in warmups)}
            if warmups else None,
            first_call_s=processes[0].first_call_s if processes else None,
            setup_s=_median([p.setup_s for p in processes if p.setup_s is not None]),
            total_run_s=sum(p.total_run_s or 0.0 for p in processes) if any(p.total_run_s for p in processes) else None,
            stop_reason=",".join(dict.fromkeys(reasons)) or None, method=method, options=options, replicates=processes,
        )

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["samples_s"] = list(self.samples_s)
        data["replicates"] = [r.to_json() for r in self.replicates]
        if self.options is None:
            del data["options"]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Timing":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["samples_s"] = tuple(data.get("samples_s") or ())
        values["replicates"] = tuple(ProcessTiming.from_json(r) for r in data.get("replicates") or () if isinstance(r, dict))
        return cls(**values)


@dataclass(frozen=True)
class Measurement:
    """One implementation of one task, measured once on one device, size and thread count."""

    task: str
    framework: str
    variant: str | None
    impl_key: str
    status: str
    device: str = "cpu"
    device_name: str | None = None
    size: str | None = None
    error: str | None = None
    traceback: str | None = None
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    tolerance_ratio: float | None = None
    frameworks_agree: bool | None = None
    cross_framework: dict[str, Any] = field(default_factory=dict)
    timing: Timing | None = None
    peak_rss_bytes: int | None = None
    baseline_rss_bytes: int | None = None
    fork_rss_bytes: int | None = None
    rss_method: str | None = None
    peak_device_bytes: int | None = None
    code_hash: str | None = None
    env_key: str | None = None
    machine: str | None = None
    framework_version: str | None = None
    backend: str | None = None         # the backend a multi-backend framework ran on (Keras: tensorflow, torch, jax)
    threads: int | None = None
    started_at: str | None = None
    wall_s: float | None = None
    cached_from: str | None = None     # the result file a reused record came from; never written
    extra: dict[str, Any] = field(default_factory=dict)  # keys this version does not know, kept as read

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def cacheable(self) -> bool:
        """Reusable by a rerun: a settled status, both keys, and (for a timed ok record) every process timed.
        A run interrupted between its timing processes leaves ok records that a rerun measures again."""
        if not (self.status in CACHEABLE_STATUSES and self.code_hash and self.env_key):
            return False
        if self.ok and self.timing is not None and self.timing.options is not None:
            return self.timing.settled
        return True

    @property
    def samples(self) -> tuple[float, ...]:
        """Timing samples of a correct measurement; () for anything else."""
        return self.timing.samples_s if self.ok and self.timing else ()

    @property
    def measured_memory_bytes(self) -> float | None:
        """The measurement's own memory: the device allocator peak on a GPU, else peak RSS above the
        worker's RSS at fork time (the framework import is shared by every measurement). RSS can end
        below that baseline (pages given back); it then counts as 1 byte, so ratios stay defined."""
        if self.peak_device_bytes:
            return float(self.peak_device_bytes)
        if not self.peak_rss_bytes:
            return None
        return float(max(self.peak_rss_bytes - (self.baseline_rss_bytes or 0), 1))

    def merge_key(self) -> tuple:
        """Measurements of one key are the same measurement repeated: the newest one counts."""
        return (self.machine, self.task, self.impl_key, self.backend, self.device, self.size, self.threads)

    def evolve(self, **changes: Any) -> "Measurement":
        return replace(self, **changes)

    def to_json(self, *, with_cached_from: bool = False) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("extra", "cached_from", "timing")}
        data["timing"] = self.timing.to_json() if self.timing else None
        if with_cached_from and self.cached_from:
            data["cached_from"] = self.cached_from
        return {**self.extra, **data}

    @classmethod
    def from_json(cls, data: dict[str, Any], machine: str | None = None) -> "Measurement":
        """From a result file's record; `machine` fills records written before they carried it."""
        known = {f.name for f in fields(cls)} - {"extra", "timing"}
        values = {k: v for k, v in data.items() if k in known}
        values.setdefault("framework", str(data.get("impl_key", "")).partition("_")[0])
        values.setdefault("variant", None)
        if values.get("machine") is None:
            values["machine"] = machine
        timing = data.get("timing")
        values["timing"] = Timing.from_json(timing) if isinstance(timing, dict) and timing else None
        values["cross_framework"] = dict(data.get("cross_framework") or {})
        return cls(**values, extra={k: v for k, v in data.items() if k not in known and k != "timing"})


RECORD_FIELDS = tuple(f.name for f in fields(Measurement) if f.name not in ("extra", "cached_from"))
