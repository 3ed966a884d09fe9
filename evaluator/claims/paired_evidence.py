"""Per-unit paired values for a claim's tests: static records, run records or debugging evidence,
as written and like for like. Pure functions; the statistics are in claim_verdicts.py and base/stats.py.

Abstraction level (docs/claims.md, "Like for like"): an implementation is `high` when it hands the
training or evaluation loop to the framework (the `high_level_calls` metric: Keras `Model.fit`,
`evaluate`, ...), else `core`. Like for like pairs each task's core-level implementations: the
primary where it is core, else the task's `loop` variant, else its `lowlevel` variant.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from evaluator.base.metric_registry import DEBUGGING, RUN, STATIC, Metric
from evaluator.claims.metric_comparisons import COMPILED_VARIANTS
from evaluator.claims.report_model import PairedEvidence, StaticRecord
from evaluator.claims.claim_protocol import AS_WRITTEN, ClaimDefinition
from evaluator.results import Measurement

HIGH, CORE = "high", "core"
# Core-level stand-ins for a high-level primary, in order of preference: Keras layers with a
# hand-written GradientTape loop first (closest to what a PyTorch user writes), then tf.Module.
CORE_VARIANTS = ("loop", "lowlevel")


@dataclass(frozen=True)
class Pairing:
    """Values of one metric for a and b, one entry per unit."""

    units: tuple[str, ...]           # task ids; "task (variant)" for compiled variants
    unit_tasks: tuple[str, ...]      # the task of each unit: leaving a task out drops all its units
    a_impls: tuple[str, ...]
    b_impls: tuple[str, ...]
    a_values: tuple[float, ...]
    b_values: tuple[float, ...]

    def take(self, indices: Sequence[int]) -> Pairing:
        """The units at `indices` (repeats allowed: a bootstrap resample)."""
        pick = lambda values: tuple(values[i] for i in indices)  # noqa: E731
        return Pairing(pick(self.units), pick(self.unit_tasks), pick(self.a_impls), pick(self.b_impls),
                       pick(self.a_values), pick(self.b_values))

    def without_tasks(self, tasks: Iterable[str]) -> Pairing:
        drop = set(tasks)
        return self.take([i for i, t in enumerate(self.unit_tasks) if t not in drop])


@dataclass(frozen=True)
class Evidence:
    """Everything a claim can be decided on, in one place."""

    static_records: tuple[StaticRecord, ...]
    run_records: tuple[Measurement, ...] = ()
    debugging: tuple[PairedEvidence, ...] = ()
    categories: dict[str, str] = field(default_factory=dict)   # task -> category
    loop_first: bool = False   # like for like takes a task's `loop` variant wherever it has one (protocol 2)


def level(record: StaticRecord) -> str:
    """`high` when the implementation hands its loop to the framework (Keras fit/evaluate), else `core`."""
    return HIGH if record.metrics.get("high_level_calls", 0) > 0 else CORE


def _static_by(records: Iterable[StaticRecord], metric: str) -> dict[tuple[str, str], StaticRecord]:
    return {(r.task_id, r.impl_key): r for r in records if r.error is None and metric in r.metrics}


def _core_key(by: dict[tuple[str, str], StaticRecord], task: str, key: str, loop_first: bool = False) -> str | None:
    """The core-level implementation of `key`'s framework for `task`: `key` itself if core, else a variant;
    with `loop_first`, the task's hand-written `loop` variant wherever it has one (a Keras primary that
    calls predict() is core by the level rule, yet the loop variant is the like-for-like counterpart)."""
    record = by.get((task, key))
    if record is None:
        return None
    loop = by.get((task, f"{record.framework}_loop"))
    if loop_first and loop is not None and level(loop) == CORE and key == record.framework:
        return loop.impl_key
    if level(record) == CORE:
        return key
    framework = record.framework
    for variant in CORE_VARIANTS:
        stand_in = by.get((task, f"{framework}_{variant}"))
        if stand_in is not None and level(stand_in) == CORE:
            return stand_in.impl_key
    return None


def static_pairing(evidence: Evidence, a: str, b: str, metric: str, *, category: str = "",
                   comparison: str = AS_WRITTEN) -> Pairing:
    """Static metric values of a and b on every task that has both (of `category`, if given)."""
    by = _static_by(evidence.static_records, metric)
    tasks = sorted({t for t, k in by if k == a} & {t for t, k in by if k == b})
    if category:
        tasks = [t for t in tasks if evidence.categories.get(t) == category]
    rows = []
    for task in tasks:
        if comparison == AS_WRITTEN:
            keys = (a, b)
        else:
            keys = (_core_key(by, task, a, evidence.loop_first), _core_key(by, task, b, evidence.loop_first))
            if None in keys:
                continue   # the task has no core-level implementation on one side
        rows.append((task, task, keys[0], keys[1], by[(task, keys[0])].metrics[metric], by[(task, keys[1])].metrics[metric]))
    return Pairing(*(tuple(column) for column in zip(*rows))) if rows else Pairing((), (), (), (), (), ())


def _run_value(record: Measurement, metric: str) -> float | None:
    timing = record.timing
    if not record.ok or timing is None:
        return None
    value = getattr(timing, metric, None)
    return float(value) if value is not None and value > 0 else None


def main_run_group(run_records: Iterable[Measurement]) -> dict[tuple[str, str], Measurement]:
    """The measurements of the (machine, device, threads, size) group with the most correct ones:
    a claim is decided on one machine and setting, never on pooled ones (the others are shown in
    the speed section). {(task, impl_key): measurement}, the last of each key."""
    groups: dict[tuple, dict[tuple[str, str], Measurement]] = defaultdict(dict)
    for record in run_records:
        groups[(record.machine or "", record.device, record.threads or 0, record.size or "")][(record.task, record.impl_key)] = record
    if not groups:
        return {}
    return max(sorted(groups.items()), key=lambda item: sum(r.ok for r in item[1].values()))[1]


def run_pairing(evidence: Evidence, a: str, b: str, metric: str, comparison: str = AS_WRITTEN) -> Pairing:
    """Run metric values of a and b per task; like for like, each side's core-level implementation of the
    task (its level read off the static records, as for the static claims) where it was measured."""
    group = main_run_group(evidence.run_records)
    by = _static_by(evidence.static_records, "sloc")
    rows = []
    for task in sorted({t for t, k in group if k == a} & {t for t, k in group if k == b}):
        keys = (a, b)
        if comparison != AS_WRITTEN:
            keys = (_core_key(by, task, a, evidence.loop_first), _core_key(by, task, b, evidence.loop_first))
            if None in keys or any((task, k) not in group for k in keys):
                continue
        va, vb = _run_value(group[(task, keys[0])], metric), _run_value(group[(task, keys[1])], metric)
        if va is not None and vb is not None:
            rows.append((task, task, keys[0], keys[1], va, vb))
    return Pairing(*(tuple(column) for column in zip(*rows))) if rows else Pairing((), (), (), (), (), ())


def compiled_pairing(evidence: Evidence, metric: str) -> Pairing:
    """Every compiled variant (torch.compile, tf.function, jax.jit) against its own eager primary."""
    group = main_run_group(evidence.run_records)
    rows = []
    for (task, key), record in sorted(group.items()):
        if record.variant not in COMPILED_VARIANTS or (task, record.framework) not in group:
            continue
        va, vb = _run_value(record, metric), _run_value(group[(task, record.framework)], metric)
        if va is not None and vb is not None:
            rows.append((f"{task} ({key})", task, key, record.framework, va, vb))
    return Pairing(*(tuple(column) for column in zip(*rows))) if rows else Pairing((), (), (), (), (), ())


def debugging_pairing(evidence: Evidence, a: str, b: str, metric: str) -> Pairing | None:
    found = [e for e in evidence.debugging if e.metric == metric and (e.a_key, e.b_key) == (a, b)]
    if not found:
        return None
    e = found[0]
    n = len(e.tasks)
    return Pairing(e.tasks, e.tasks, (a,) * n, (b,) * n, e.a_values, e.b_values)


def pairing(evidence: Evidence, claim: ClaimDefinition, metric: Metric, comparison: str = AS_WRITTEN) -> Pairing | None:
    """The claim's paired values for `metric`; None when that kind of evidence is absent (not measured)."""
    if metric.source == STATIC:
        if not evidence.static_records:
            return None
        if claim.evidence == "compiled":
            return None   # compiled variants are compared by their timings only
        return static_pairing(evidence, claim.a, claim.b, metric.name, category=claim.category, comparison=comparison)
    if metric.source == RUN:
        if not evidence.run_records:
            return None
        if claim.evidence == "compiled":
            return compiled_pairing(evidence, metric.name)
        return run_pairing(evidence, claim.a, claim.b, metric.name, comparison)
    if metric.source == DEBUGGING:
        return debugging_pairing(evidence, claim.a, claim.b, metric.name)
    return None
