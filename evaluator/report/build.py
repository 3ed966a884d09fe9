"""Pure functions from static records and run records to the comparisons of the report."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from evaluator.metrics import COMPARED, FAMILIES, Metric, metric
from evaluator.report.model import MetricComparison, SpeedComparison, StaticRecord, TaskTiming
from evaluator.stats import compare_family, geometric_mean_ratio, timing_comparison

# Variants that compile or trace the eager primary (graphs-compilation claim).
COMPILED_VARIANTS = ("compiled", "function", "jit")


def report_order(frameworks: Iterable[str]) -> tuple[str, ...]:
    """Frameworks in the order comparisons name them (a, b, ...): reverse alphabetical, so that
    PyTorch is 'a' against TensorFlow, a fixed rule that needs no per-framework setting."""
    return tuple(sorted(set(frameworks), reverse=True))


def _by_task(records: Iterable[StaticRecord], impl_key: str) -> dict[str, StaticRecord]:
    return {r.task_id: r for r in records if r.impl_key == impl_key and r.error is None}


def compare_static(records: list[StaticRecord], a_key: str, b_key: str, *, alpha: float = 0.05,
                   metrics: tuple[Metric, ...] = COMPARED) -> list[MetricComparison]:
    """Every metric, a against b, paired by task; Holm within each metric family."""
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
        for spec in specs:
            a_values, b_values = pairs[spec.name]
            comparisons.append(MetricComparison(spec, a_key, b_key, tasks, tuple(a_values), tuple(b_values), results[spec.name]))
    return comparisons


def variant_pairs(records: Iterable[StaticRecord]) -> list[tuple[str, str]]:
    """(primary key, variant key) for every variant present, e.g. ('tensorflow', 'tensorflow_lowlevel')."""
    return sorted({(r.framework, r.impl_key) for r in records if r.variant is not None})


# ---- execution records -------------------------------------------------------------------------

def _timing(record: dict[str, Any]) -> dict[str, Any] | None:
    timing = record.get("timing") or None
    if record.get("status") != "ok" or not timing or not timing.get("samples_s"):
        return None
    return timing


def _groups(run_records: Iterable[dict[str, Any]]) -> dict[tuple[str, str, str], dict[tuple[str, str], dict[str, Any]]]:
    """(machine, device, setting) -> {(task, impl_key): record}. Records of different thread counts or
    sizes are never pooled; expects one record per key, as `results.latest_records` gives."""
    groups: dict[tuple[str, str, str], dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for record in run_records:
        threads = record.get("threads")
        setting = f"{threads} thread{'s' if threads != 1 else ''}, {record.get('size') or 'small'} size"
        key = (record.get("machine", "unknown"), record.get("device", "cpu"), setting)
        groups[key][(record["task"], record["impl_key"])] = record
    return groups


def compare_speed(run_records: list[dict[str, Any]], a_key: str, b_key: str, *, alpha: float = 0.05) -> list[SpeedComparison]:
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
            comparison = timing_comparison(ta["samples_s"], tb["samples_s"], alpha=alpha)
            timings.append(TaskTiming(task, ta["median_s"], tb["median_s"], ta.get("iqr_s", 0.0), tb.get("iqr_s", 0.0), comparison))
            if ta.get("first_call_s") and tb.get("first_call_s"):
                paired_tasks.append(task)
                first_a.append(ta["first_call_s"])
                first_b.append(tb["first_call_s"])
            ma, mb = measured_memory(ra), measured_memory(rb)
            if ma and mb:
                mem_tasks.append(task)
                mem_a.append(float(ma))
                mem_b.append(float(mb))
        if not timings:
            continue
        ratios = [t.comparison.ratio for t in timings if t.comparison.ratio]
        overall = geometric_mean_ratio(ratios)
        first = _single(metric("first_call_s"), a_key, b_key, paired_tasks, first_a, first_b, alpha)
        memory = _single(metric("peak_memory"), a_key, b_key, mem_tasks, mem_a, mem_b, alpha)
        comparisons.append(SpeedComparison(machine, device, a_key, b_key, tuple(timings), overall, first, memory, setting))
    return comparisons


def measured_memory(record: dict[str, Any]) -> float | None:
    """The measurement's own memory: the device allocator peak on a GPU, else peak RSS above the
    worker's RSS at fork time (the framework import is shared by every measurement)."""
    if record.get("peak_device_bytes"):
        return float(record["peak_device_bytes"])
    peak, base = record.get("peak_rss_bytes"), record.get("baseline_rss_bytes")
    if not peak:
        return None
    return float(max(peak - (base or 0), 1))


def _single(spec: Metric, a_key: str, b_key: str, tasks: list[str], a: list[float], b: list[float],
            alpha: float) -> MetricComparison | None:
    if not tasks:
        return None
    result = compare_family({spec.name: (a, b)}, alpha=alpha)[spec.name]
    return MetricComparison(spec, a_key, b_key, tuple(tasks), tuple(a), tuple(b), result)


def compiled_speedups(run_records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Steady-state median of each compiled variant over its eager primary, per machine and device."""
    rows = []
    for (machine, device, setting), latest in sorted(_groups(run_records).items()):
        per_variant: dict[tuple[str, str], list[tuple[str, float, float, float, float]]] = defaultdict(list)
        for (task, key), record in latest.items():
            if record.get("variant") not in COMPILED_VARIANTS:
                continue
            primary = latest.get((task, record["framework"]))
            tv, tp = _timing(record), _timing(primary) if primary else None
            if tv and tp:
                per_variant[(key, record["framework"])].append(
                    (task, tv["median_s"], tp["median_s"], tv.get("first_call_s") or 0.0, tp.get("first_call_s") or 0.0))
        for (key, framework), items in sorted(per_variant.items()):
            overall = geometric_mean_ratio([v / p for _, v, p, _, _ in items])
            rows.append({
                "machine": machine, "device": device, "setting": setting, "variant_key": key, "framework": framework,
                "tasks": [{"task": t, "variant_median_s": v, "eager_median_s": p, "ratio": v / p,
                           "variant_first_call_s": fv, "eager_first_call_s": fp} for t, v, p, fv, fp in items],
                "overall": overall,
            })
    return rows
