"""Keras across backends, as evidence: a multi-backend framework's files against the frameworks they run on.

Pure functions from the static and run records. A `keras_impl.py` is one implementation (one static
record) and one measurement per backend (`Measurement.backend`). Its runs are renamed
`<impl key>@<backend>` ("keras@torch") so that the existing paired statistics (`compare_speed`: per-task
process medians, the geometric mean over tasks with its bootstrap interval, first-call latency as a
log-ratio test with its interval) compare Keras on PyTorch with torch_impl.py, Keras on TensorFlow with
tensorflow_impl.py and Keras on JAX with jax_impl.py, on the same tasks, machine and setting.
Nothing here is a claim: the protocol has none on Keras (docs/claims.md).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

from evaluator.base.run_status import OK, SKIPPED
from evaluator.claims.metric_comparisons import compare_speed, compare_static, report_order
from evaluator.claims.number_words import fmt_num
from evaluator.claims.report_model import CrossBackend, Failure, StaticRecord
from evaluator.frameworks import adapter_names, backends_of, get_adapter
from evaluator.results import Measurement


def multi_backend_frameworks() -> tuple[str, ...]:
    """Frameworks whose one file runs on several backends (Keras)."""
    return tuple(name for name in adapter_names() if backends_of(name))


def run_key(impl_key: str, backend: str) -> str:
    """The key of one backend's runs of a multi-backend file: 'keras@torch'."""
    return f"{impl_key}@{backend}"


def run_key_names(run_records: Iterable[Measurement]) -> dict[str, str]:
    """Display names of the run keys: 'keras@torch' -> 'Keras (torch backend)'."""
    return {run_key(r.impl_key, r.backend): get_adapter(r.framework).backend_display_name(r.backend)
            for r in run_records if r.backend and r.framework in adapter_names()}


def cross_backend(framework: str, static_records: Sequence[StaticRecord],
                  run_records: Sequence[Measurement]) -> CrossBackend | None:
    """The framework's static comparisons, per-backend speed and portability; None without any file of it."""
    mine_static = [r for r in static_records if r.framework == framework and r.variant is None]
    mine_runs = [r for r in run_records if r.framework == framework and r.variant is None and r.backend]
    if not mine_static and not mine_runs:
        return None
    others = [f for f in report_order(r.framework for r in static_records if r.variant is None and r.error is None)
              if f != framework and not backends_of(f)]
    static = [c for other in others for c in compare_static(list(static_records), framework, other)]
    order = backends_of(framework)
    backends = tuple(b for b in order if any(r.backend == b for r in mine_runs))
    renamed = [r.evolve(impl_key=run_key(r.impl_key, r.backend)) for r in mine_runs]
    own = [r for r in run_records if r.backend is None and r.variant is None and r.framework in backends]
    speed = [s for b in backends for s in compare_speed(renamed + own, run_key(framework, b), b)]
    by_task: dict[str, list[Measurement]] = defaultdict(list)
    for r in mine_runs:
        by_task[r.task].append(r)
    ran = {task: [r for r in records if r.status != SKIPPED] for task, records in by_task.items()}
    files = tuple(sorted(task for task, records in ran.items() if records))
    portable = tuple(task for task in files if all(r.status == OK for r in ran[task]))
    failures = tuple(Failure(r.task, r.impl_key, r.framework, r.device, r.status, r.error, r.backend)
                     for r in sorted(mine_runs, key=lambda r: (r.task, order.index(r.backend) if r.backend in order else 99))
                     if r.status not in (OK, SKIPPED))
    skipped = tuple(dict.fromkeys(f"{r.backend}: {r.error}" for r in mine_runs if r.status == SKIPPED))
    return CrossBackend(framework, backends, tuple(static), tuple(speed), files, portable, failures, skipped)


def cross_backend_summaries(static_records: Sequence[StaticRecord], run_records: Sequence[Measurement]) -> tuple[CrossBackend, ...]:
    return tuple(c for f in multi_backend_frameworks() if (c := cross_backend(f, static_records, run_records)) is not None)


def cross_backend_line(c: CrossBackend, names: dict[str, str]) -> str:
    """One line for the one-screen view: portability, then each backend's steady-state ratio to its own primary."""
    display = names.get(c.framework, c.framework)
    line = (f"{display} across backends: {len(c.portable)} of {len(c.files)} {display} file(s) correct on every backend "
            f"({', '.join(c.backends) or 'none measured'})")
    ratios = []
    for s in c.speed:
        if s.overall.ratio is None:
            continue
        backend = s.a_key.partition("@")[2]
        ratios.append(f"on {backend} {fmt_num(s.overall.ratio)}x its own ({s.size}, {s.overall.n} task(s))")
    if ratios:
        line += "; steady-state time vs the backend's own implementation: " + ", ".join(ratios)
    return line + " (descriptive, no claim)."
