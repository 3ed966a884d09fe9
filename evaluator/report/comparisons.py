"""Pure functions from static records and run records to the comparisons of the report."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Iterable

from evaluator.frameworks import ordered_frameworks
from evaluator.metrics import COMPARED, FAMILIES, Metric, metric
from evaluator.report.model import (
    CompiledSpeedup, CompiledTask, MetricComparison, SpeedComparison, StaticRecord, TaskTiming,
)
from evaluator.results import Measurement, Timing
from evaluator.stats import compare_family, geometric_mean_ratio, holm_family, log_ratio_test, timing_comparison

# Variants that compile or trace the eager primary (graphs-compilation claim).
COMPILED_VARIANTS = ("compiled", "function", "jit")


def report_order(frameworks: Iterable[str]) -> tuple[str, ...]:
    """Frameworks in the order comparisons name them (a, b, ...): the order their adapters declare."""
    return tuple(ordered_frameworks(set(frameworks)))


def framework_pairs(records: Iterable[StaticRecord]) -> list[tuple[str, str]]:
    """Every pair of primary frameworks that share at least one analysed task, in report order."""
    by_framework: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r.variant is None and r.error is None:
            by_framework[r.framework].add(r.task_id)
    order = report_order(by_framework)
    return [(a, b) for a, b in combinations(order, 2) if by_framework[a] & by_framework[b]]


def _by_task(records: Iterable[StaticRecord], impl_key: str) -> dict[str, StaticRecord]:
    return {r.task_id: r for r in records if r.impl_key == impl_key and r.error is None}


def compare_static(records: list[StaticRecord], a_key: str, b_key: str, *, alpha: float = 0.05,
                   metrics: tuple[Metric, ...] = COMPARED) -> list[MetricComparison]:
    """Every metric, a against b, paired by task; Holm within each metric family (exploratory: claims
    are decided by the claim protocol alone). Each comparison carries the raw-difference test of
    `compare_family` and, in `log`, the log-ratio test the tables show."""
    a_by_task, b_by_task = _by_task(records, a_key), _by_task(records, b_key)
    tasks = tuple(sorted(set(a_by_task) & set(b_by_task)))
    if not tasks:
        return []
    comparisons = []
    for family in FAMILIES:
        specs = [m for m in metrics if m.family == family
                 and all(m.name in a_by_task[t].metrics and m.name in b_by_task[t].metrics for t in tasks)]
        pairs = {m.name: ([a_by_task[t].metrics[m.name] for t in tasks], [b_by_task[t].metrics[m.name] for t in tasks])
                 for m in specs}
        if not pairs:
            continue
        results = compare_family(pairs, alpha=alpha)
        logs = holm_family({m.name: log_ratio_test(*pairs[m.name], offset=m.log_offset) for m in specs})
        for spec in specs:
            a_values, b_values = pairs[spec.name]
            comparisons.append(MetricComparison(spec, a_key, b_key, tasks, tuple(a_values), tuple(b_values),
                                                results[spec.name], logs[spec.name]))
    return comparisons


def variant_pairs(records: Iterable[StaticRecord]) -> list[tuple[str, str]]:
    """(primary key, variant key) for every variant present, e.g. ('tensorflow', 'tensorflow_lowlevel')."""
    return sorted({(r.framework, r.impl_key) for r in records if r.variant is not None})


# ---- execution records -------------------------------------------------------------------------

def _timing(record: Measurement | None) -> Timing | None:
    """The timing of a correct measurement that has samples, else None."""
    return record.timing if record is not None and record.samples else None


def _groups(run_records: Iterable[Measurement]) -> dict[tuple[str, str, str], dict[tuple[str, str], Measurement]]:
    """(machine, device, setting) -> {(task, impl_key): record}. Records of different thread counts or
    sizes are never pooled; expects one record per key, as `results.latest_records` gives."""
    groups: dict[tuple[str, str, str], dict[tuple[str, str], Measurement]] = defaultdict(dict)
    for record in run_records:
        threads = record.threads
        setting = f"{threads} thread{'s' if threads != 1 else ''}, {record.size or 'small'} size"
        groups[(record.machine or "unknown", record.device, setting)][(record.task, record.impl_key)] = record
    return groups


def compare_speed(run_records: list[Measurement], a_key: str, b_key: str, *, alpha: float = 0.05) -> list[SpeedComparison]:
    """Per machine and device: per-task timing comparisons, their geometric mean, first-call and memory."""
    comparisons = []
    for (machine, device, setting), latest in sorted(_groups(run_records).items()):
        tasks = sorted({task for task, key in latest if key == a_key} & {task for task, key in latest if key == b_key})
        timings, first_a, first_b, mem_a, mem_b, paired_tasks, mem_tasks = [], [], [], [], [], [], []
        for task in tasks:
            ra, rb = latest[(task, a_key)], latest[(task, b_key)]
            ta, tb = _timing(ra), _timing(rb)
            if ta is None or tb is None:
                continue
            comparison = timing_comparison(list(ta.samples_s), list(tb.samples_s), alpha=alpha)
            timings.append(TaskTiming(task, ta.median_s, tb.median_s, ta.iqr_s or 0.0, tb.iqr_s or 0.0, comparison))
            if ta.first_call_s and tb.first_call_s:
                paired_tasks.append(task)
                first_a.append(ta.first_call_s)
                first_b.append(tb.first_call_s)
            ma, mb = ra.measured_memory_bytes, rb.measured_memory_bytes
            if ma and mb:
                mem_tasks.append(task)
                mem_a.append(ma)
                mem_b.append(mb)
        if not timings:
            continue
        overall = geometric_mean_ratio([t.comparison.ratio for t in timings if t.comparison.ratio])
        first = _single(metric("first_call_s"), a_key, b_key, paired_tasks, first_a, first_b, alpha)
        memory = _single(metric("peak_memory"), a_key, b_key, mem_tasks, mem_a, mem_b, alpha)
        comparisons.append(SpeedComparison(machine, device, a_key, b_key, tuple(timings), overall, first, memory, setting))
    return comparisons


def _single(spec: Metric, a_key: str, b_key: str, tasks: list[str], a: list[float], b: list[float],
            alpha: float) -> MetricComparison | None:
    if not tasks:
        return None
    result = compare_family({spec.name: (a, b)}, alpha=alpha)[spec.name]
    return MetricComparison(spec, a_key, b_key, tuple(tasks), tuple(a), tuple(b), result)


def compiled_speedups(run_records: list[Measurement]) -> list[CompiledSpeedup]:
    """Steady-state median of each compiled variant over its eager primary, per machine and device."""
    rows = []
    for (machine, device, setting), latest in sorted(_groups(run_records).items()):
        per_variant: dict[tuple[str, str], list[CompiledTask]] = defaultdict(list)
        for (task, key), record in latest.items():
            if record.variant not in COMPILED_VARIANTS:
                continue
            tv, tp = _timing(record), _timing(latest.get((task, record.framework)))
            if tv and tp:
                per_variant[(key, record.framework)].append(CompiledTask(
                    task, tv.median_s, tp.median_s, tv.median_s / tp.median_s, tv.first_call_s or 0.0, tp.first_call_s or 0.0))
        for (key, framework), items in sorted(per_variant.items()):
            overall = geometric_mean_ratio([t.ratio for t in items])
            rows.append(CompiledSpeedup(machine, device, setting, key, framework, tuple(items), overall))
    return rows
