"""Pure functions from static records and run records to the comparisons of the report."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Iterable

from evaluator.frameworks import ordered_frameworks
from evaluator.base.metric_registry import COMPARED, FAMILIES, Metric, metric
from evaluator.claims.report_model import (
    CompiledSpeedup, CompiledTask, MetricComparison, SizeChange, SpeedComparison, StaticRecord, TaskTiming,
)
from evaluator.results import Measurement, Timing
from evaluator.base.stats import (
    compare_family, geometric_mean_ratio, holm_family, log_ratio_test, process_timing_comparison, timing_family,
)

# Variants that compile or trace the eager primary (graphs-compilation claim).
COMPILED_VARIANTS = ("compiled", "function", "jit")
# Sizes in the order the report shows them: overhead-dominated first (tasks/README.md).
SIZE_ORDER = ("small", "medium", "large")


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


def setting_name(threads: int | None, size: str | None) -> str:
    return f"{threads} thread{'s' if threads != 1 else ''}, {size or 'small'} size"


def _groups(run_records: Iterable[Measurement]) -> dict[tuple[str, str, int, str], dict[tuple[str, str], Measurement]]:
    """(machine, device, threads, size) -> {(task, impl_key): record}. Records of different thread counts
    or sizes are never pooled; expects one record per key, as `results.latest_records` gives."""
    groups: dict[tuple[str, str, int, str], dict[tuple[str, str], Measurement]] = defaultdict(dict)
    for record in run_records:
        key = (record.machine or "unknown", record.device, record.threads or 0, record.size or "small")
        groups[key][(record.task, record.impl_key)] = record
    return groups


def _group_order(key: tuple[str, str, int, str]) -> tuple:
    """Machine, device, threads, then sizes from small to large (not alphabetical)."""
    machine, device, threads, size = key
    return (machine, device, threads, SIZE_ORDER.index(size) if size in SIZE_ORDER else len(SIZE_ORDER), size)


def compare_speed(run_records: list[Measurement], a_key: str, b_key: str, *, alpha: float = 0.05) -> list[SpeedComparison]:
    """Per machine, device, threads and size: per-task timing comparisons on the process medians (Holm
    across the tasks), their geometric mean, first-call latency and memory."""
    comparisons = []
    groups = _groups(run_records)
    for group in sorted(groups, key=_group_order):
        machine, device, threads, size = group
        latest = groups[group]
        tasks = sorted({task for task, key in latest if key == a_key} & {task for task, key in latest if key == b_key})
        pairs, first_a, first_b, mem_a, mem_b, paired_tasks, mem_tasks = [], [], [], [], [], [], []
        for task in tasks:
            ra, rb = latest[(task, a_key)], latest[(task, b_key)]
            ta, tb = _timing(ra), _timing(rb)
            if ta is None or tb is None:
                continue
            pairs.append((task, ta, tb, process_timing_comparison(ta.process_medians_s, tb.process_medians_s, alpha=alpha)))
            if ta.first_call_s and tb.first_call_s:
                paired_tasks.append(task)
                first_a.append(ta.first_call_s)
                first_b.append(tb.first_call_s)
            ma, mb = ra.measured_memory_bytes, rb.measured_memory_bytes
            if ma and mb:
                mem_tasks.append(task)
                mem_a.append(ma)
                mem_b.append(mb)
        if not pairs:
            continue
        family = timing_family([c for *_, c in pairs], alpha=alpha)
        timings = [TaskTiming(task, ta.median_s, tb.median_s, ta.iqr_s or 0.0, tb.iqr_s or 0.0, c,
                              ta.process_medians_s, tb.process_medians_s, ta.process_spread, tb.process_spread)
                   for (task, ta, tb, _), c in zip(pairs, family)]
        overall = geometric_mean_ratio([t.comparison.ratio for t in timings if t.comparison.ratio])
        first = _single(metric("first_call_s"), a_key, b_key, paired_tasks, first_a, first_b, alpha)
        memory = _single(metric("peak_memory"), a_key, b_key, mem_tasks, mem_a, mem_b, alpha)
        comparisons.append(SpeedComparison(machine, device, a_key, b_key, tuple(timings), overall, first, memory,
                                           setting_name(threads, size), size, threads))
    return comparisons


def _single(spec: Metric, a_key: str, b_key: str, tasks: list[str], a: list[float], b: list[float],
            alpha: float) -> MetricComparison | None:
    if not tasks:
        return None
    result = compare_family({spec.name: (a, b)}, alpha=alpha)[spec.name]
    return MetricComparison(spec, a_key, b_key, tuple(tasks), tuple(a), tuple(b), result)


def compiled_speedups(run_records: list[Measurement]) -> list[CompiledSpeedup]:
    """Steady-state median of each compiled variant over its eager primary, per machine, device and size."""
    rows = []
    groups = _groups(run_records)
    for group in sorted(groups, key=_group_order):
        machine, device, threads, size = group
        latest = groups[group]
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
            rows.append(CompiledSpeedup(machine, device, setting_name(threads, size), key, framework, tuple(items), overall, size))
    return rows


def size_changes(speed: list[SpeedComparison] | tuple[SpeedComparison, ...]) -> list[SizeChange]:
    """For each pair, machine, device and thread count measured at two or more sizes: every task
    measured at the smallest and at the next size up, with both ratios."""
    by_setting: dict[tuple, list[SpeedComparison]] = defaultdict(list)
    for s in speed:
        by_setting[(s.machine, s.device, s.a_key, s.b_key, s.threads)].append(s)
    changes = []
    for (machine, device, a_key, b_key, threads), comparisons in by_setting.items():
        ordered = sorted(comparisons, key=lambda s: SIZE_ORDER.index(s.size) if s.size in SIZE_ORDER else len(SIZE_ORDER))
        for smaller, larger in zip(ordered, ordered[1:]):
            larger_tasks = {t.task_id: t for t in larger.tasks}
            for t in smaller.tasks:
                other = larger_tasks.get(t.task_id)
                if other is not None:
                    changes.append(SizeChange(machine, device, a_key, b_key, threads, t.task_id, smaller.size, larger.size,
                                              t.comparison.ratio, other.comparison.ratio, t.comparison.verdict,
                                              other.comparison.verdict))
    return changes
