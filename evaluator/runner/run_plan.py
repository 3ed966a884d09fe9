"""What `easeval run` measures: which sizes of which task, as which jobs and planned records."""

from __future__ import annotations

from dataclasses import dataclass

from evaluator.corpus.discovery import Corpus, Task
from evaluator.frameworks import backends_of
from evaluator.base.environment import Environment
from evaluator.results import Measurement, code_hash, environment_key, output_file, utc_now
from evaluator.runner.scheduler import Job
from evaluator.runner.timing import METHOD, TimingOptions

# Sizes measured on each device when none is asked for, in this order, where the task declares them.
# small is overhead-dominated (per-op dispatch); medium is where PyTorch's run() takes >= ~20 ms on
# one CPU core (tasks/README.md), so kernels count; large is for GPUs.
DEFAULT_SIZES = {"cpu": ("small", "medium"), "cuda": ("large",)}


def sizes_for(task: Task, device: str, requested: tuple[str, ...] | None = None) -> list[tuple[str, bool]]:
    """(size name, whether the task declares it) for every size to measure the task at.

    Asked-for sizes are kept even where undeclared (their records say so). By default: the device's
    DEFAULT_SIZES the task declares, or small where it declares none of them (a task without a
    large size is still measured on a GPU, at small).
    """
    declared = task.metadata.sizes if task.metadata else {}
    if requested:
        return [(name, name in declared) for name in dict.fromkeys(requested)]
    chosen = [name for name in DEFAULT_SIZES.get(device, ("small",)) if name in declared]
    return [(name, True) for name in chosen or ["small"]]


@dataclass(frozen=True)
class Planned:
    job: Job                # the correctness check; timing processes are derived from it
    record: Measurement     # the record so far
    size_declared: bool


def _base_record(job: Job, env: Environment, threads: int, chash: str, ekey: str) -> Measurement:
    impl = job.implementation
    return Measurement(
        task=job.task.task_id, framework=impl.framework, variant=impl.variant, impl_key=impl.key, status="planned",
        device=job.device, size=job.size_name, code_hash=chash, env_key=ekey, machine=env.machine, backend=job.backend,
        framework_version=env.framework_version(impl.framework), threads=threads, started_at=utc_now(),
    )


def plan(corpus: Corpus, frameworks: list[str], device: str, sizes: tuple[str, ...] | None, threads: int,
         env: Environment, timing: TimingOptions, results_dir, hashes: dict[tuple[str, str, str], str]) -> list[Planned]:
    """Every implementation of every measurable task at every chosen size, frameworks in the given order; a
    multi-backend framework's file (Keras) once per backend, one file and one code hash for all of them."""
    measure = {**timing.as_dict(), "method": METHOD}
    planned = []
    for task in corpus.tasks:
        if task.metadata is None or not task.spec_path.exists():
            continue  # not measurable; its problems are reported
        for size, declared in sizes_for(task, device, sizes):
            for impl in task.runnable_implementations:  # the others have a static problem, reported
                if impl.framework not in frameworks:
                    continue
                chash = hashes.get((task.task_id, impl.key, size)) or code_hash(task, impl, size)
                for backend in backends_of(impl.framework) or (None,):
                    ekey = environment_key(env, impl.framework, device, threads, measure, backend)
                    job = Job(task, impl, device, size, measure=None, output_path=output_file(results_dir, chash, ekey),
                              backend=backend)
                    planned.append(Planned(job, _base_record(job, env, threads, chash, ekey), declared))
    return planned
