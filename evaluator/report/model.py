"""The normalized report object every renderer consumes. Plain frozen dataclasses, no behaviour.

REPORT_SCHEMA_VERSION changelog (results.json written by the report):
  1: first version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evaluator.metrics import Metric
from evaluator.stats import PairedComparison, RatioEstimate, TimingComparison

REPORT_SCHEMA_VERSION = 1


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
    task_id: str
    a_median_s: float
    b_median_s: float
    a_iqr_s: float
    b_iqr_s: float
    comparison: TimingComparison


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
    frameworks: tuple[str, ...]                  # primary frameworks compared, in report order
    display_names: dict[str, str]
    tasks: tuple[dict[str, Any], ...]            # id, title, category, tags, implementations, references
    static_records: tuple[StaticRecord, ...]
    run_records: tuple[dict[str, Any], ...]      # every measurement, raw samples included
    environments: tuple[dict[str, Any], ...]     # one per result file (machine and run)
    static_comparisons: tuple[MetricComparison, ...]
    variant_comparisons: tuple[MetricComparison, ...]
    speed: tuple[SpeedComparison, ...]
    compiled_speedups: tuple[dict[str, Any], ...]
    claims: tuple[Claim, ...]
    headline: tuple[str, ...]
    failures: tuple[dict[str, Any], ...]
    threats: tuple[str, ...]
    problems: tuple[str, ...] = field(default=())
