"""The normalized report object every renderer consumes. Plain frozen dataclasses, no behaviour.

REPORT_SCHEMA_VERSION changelog (results.json written by the report):
  1: first version.
  2: typed records: `pairs`; run records carry the result-file keys; comparisons for every framework pair.
  3: speed per size (`speed[].size`, `threads`); per-task timings carry the process medians and their
     spread, the test is on the process medians with Holm across tasks (`comparison.pvalue_holm`);
     `size_changes`: per task, the speed ratio at two sizes and whether the faster side changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evaluator.metrics import Metric
from evaluator.results import Measurement
from evaluator.stats import PairedComparison, RatioEstimate, TimingComparison

REPORT_SCHEMA_VERSION = 3


@dataclass(frozen=True)
class TaskSummary:
    task_id: str
    title: str
    category: str | None
    tags: tuple[str, ...]
    implementations: tuple[str, ...]               # implementation keys
    references: dict[str, tuple[str, ...]]         # framework -> cited guides


@dataclass(frozen=True)
class RunEnvironment:
    """The environment of one result file (machine and run), in the report's terms."""

    machine: str
    cpu: str
    gpu: str | None
    python: str
    framework_versions: dict[str, str | None]
    import_seconds: dict[str, float]
    threads: Any
    easeval_version: str
    corpus_revision: str
    result_file: str


@dataclass(frozen=True)
class Failure:
    """A measurement or an analysis that did not end ok."""

    task: str
    impl_key: str
    framework: str
    device: str
    status: str
    error: str | None


@dataclass(frozen=True)
class StaticRecord:
    """Static metrics of one implementation file (glue excluded)."""

    task_id: str
    impl_key: str
    framework: str
    variant: str | None
    path: str
    metrics: dict[str, float]
    apis: dict[str, int]             # resolved framework API -> references
    glue_lines_excluded: int = 0
    error: str | None = None


@dataclass(frozen=True)
class MetricComparison:
    """a against b on one metric, paired by task."""

    metric: Metric
    a_key: str
    b_key: str
    tasks: tuple[str, ...]
    a_values: tuple[float, ...]
    b_values: tuple[float, ...]
    result: PairedComparison


@dataclass(frozen=True)
class TaskTiming:
    """One task's steady-state time on both sides: medians of the process medians, the IQR within
    processes (pooled samples), the spread between processes, and the test on the process medians."""

    task_id: str
    a_median_s: float
    b_median_s: float
    a_iqr_s: float
    b_iqr_s: float
    comparison: TimingComparison     # on the process medians, Holm across the comparison's tasks
    a_process_medians_s: tuple[float, ...] = ()
    b_process_medians_s: tuple[float, ...] = ()
    a_spread: float | None = None    # (largest - smallest process median) / median; None below 2 processes
    b_spread: float | None = None


@dataclass(frozen=True)
class SpeedComparison:
    """Steady-state speed of a against b on one machine and device (never pooled across them)."""

    machine: str
    device: str
    a_key: str
    b_key: str
    tasks: tuple[TaskTiming, ...]
    overall: RatioEstimate           # geometric mean over tasks of median(a) / median(b)
    first_call: MetricComparison | None = None
    peak_memory: MetricComparison | None = None
    setting: str = ""                # thread count and size: runs that differ in them are not pooled
    size: str = "small"
    threads: int | None = None


@dataclass(frozen=True)
class SizeChange:
    """One task's steady-state ratio a/b at a smaller and a larger size of one machine, device and
    thread count: does the faster side change when kernels, not per-op overhead, dominate?"""

    machine: str
    device: str
    a_key: str
    b_key: str
    threads: int | None
    task_id: str
    smaller: str                     # size names, e.g. "small" and "medium"
    larger: str
    smaller_ratio: float | None
    larger_ratio: float | None
    smaller_verdict: str
    larger_verdict: str

    @property
    def changes(self) -> bool | None:
        """Whether the point ratios fall on different sides of 1; None without both ratios."""
        if self.smaller_ratio is None or self.larger_ratio is None:
            return None
        return (self.smaller_ratio < 1) != (self.larger_ratio < 1)

    @property
    def changes_significantly(self) -> bool:
        """Significant (after Holm) at both sizes, in opposite directions."""
        significant = ("a_higher", "b_higher")
        return (self.smaller_verdict in significant and self.larger_verdict in significant
                and self.smaller_verdict != self.larger_verdict)


@dataclass(frozen=True)
class CompiledTask:
    task: str
    variant_median_s: float
    eager_median_s: float
    ratio: float
    variant_first_call_s: float
    eager_first_call_s: float


@dataclass(frozen=True)
class CompiledSpeedup:
    """Steady-state time of one compiled variant over its eager primary, per machine and device."""

    machine: str
    device: str
    setting: str
    variant_key: str
    framework: str
    tasks: tuple[CompiledTask, ...]
    overall: RatioEstimate
    size: str = "small"


@dataclass(frozen=True)
class PairSummary:
    """One pair of primary frameworks: how many tasks they share and whether that can decide anything."""

    a_key: str
    b_key: str
    tasks: int
    decidable: bool
    note: str = ""     # why not, and how many tasks it would take


@dataclass(frozen=True)
class Claim:
    number: int
    statement: str
    decided_by: str                  # which metrics decide it, and the rule
    verdict: str                     # supported | contradicted | inconclusive | not measured
    evidence: tuple[str, ...]        # one line per number behind the verdict


@dataclass(frozen=True)
class Report:
    schema_version: int
    generated_at: str
    easeval_version: str
    command: str
    corpus_root: str
    corpus_revision: str
    static_only: bool
    frameworks: tuple[str, ...]                  # primary frameworks, in the order their adapters declare
    display_names: dict[str, str]                # implementation key -> name for a reader
    tasks: tuple[TaskSummary, ...]
    static_records: tuple[StaticRecord, ...]
    run_records: tuple[Measurement, ...]         # every measurement, raw samples included
    environments: tuple[RunEnvironment, ...]     # one per result file (machine and run)
    pairs: tuple[PairSummary, ...]               # every pair of primary frameworks that share tasks
    static_comparisons: tuple[MetricComparison, ...]   # every pair, every compared metric
    variant_comparisons: tuple[MetricComparison, ...]  # variants against their own primary
    speed: tuple[SpeedComparison, ...]
    compiled_speedups: tuple[CompiledSpeedup, ...]
    claims: tuple[Claim, ...]
    headline: tuple[str, ...]
    failures: tuple[Failure, ...]
    threats: tuple[str, ...]
    problems: tuple[str, ...] = field(default=())
    size_changes: tuple[SizeChange, ...] = field(default=())
