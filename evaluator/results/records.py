"""One measurement as a typed record. On disk it stays the flat JSON object of result schema 1
(RECORD_FIELDS), so files written before the records were typed read back unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

# Statuses whose result depends only on the code and the environment. The others may depend on load,
# limits, what is installed, or a fault of the harness itself (error), so a rerun measures them again.
CACHEABLE_STATUSES = ("ok", "incorrect")


@dataclass(frozen=True)
class Timing:
    """Steady-state timing of one measurement: every sample kept, the summary beside it."""

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

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["samples_s"] = list(self.samples_s)
        if self.options is None:
            del data["options"]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Timing":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["samples_s"] = tuple(data.get("samples_s") or ())
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
        return self.status in CACHEABLE_STATUSES and bool(self.code_hash) and bool(self.env_key)

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
        return (self.machine, self.task, self.impl_key, self.device, self.size, self.threads)

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
