"""How long does one call of run() take at a size? For choosing a task's `[sizes.medium]`
(tasks/README.md): PyTorch's run() should take at least about 20 ms on one CPU core.

    python benchmarks/calibrate_medium.py TASK [--size medium] [--set key=value ...] [--framework torch]

Times run(state) in this process (1 intra-op thread, after 2 warm-up calls; the median of calls
adding up to about 0.5 s) and checks the output against the reference, so a size that breaks the
tolerance shows at once. `--set` overrides a size's values to try one before writing it down.
Prints wall and CPU time per call: on a busy machine the process's CPU time (one thread) is close
to what the wall time would be on a quiet one. A quick estimate; `easeval run TASK --size medium` is
the measurement.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evaluator.runner.reference_comparison import compare_outputs, to_numpy_tree  # noqa: E402
from evaluator.corpus.discovery import discover  # noqa: E402
from evaluator.frameworks import get_adapter  # noqa: E402
from evaluator.runner.worker import load_module, wait_for  # noqa: E402


def _value(text: str):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task")
    parser.add_argument("--tasks", type=Path, default=REPO / "tasks")
    parser.add_argument("--size", default="medium")
    parser.add_argument("--framework", default="torch", help="implementation key, e.g. torch or tensorflow_lowlevel")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--seconds", type=float, default=0.5)
    args = parser.parse_args()

    import numpy as np

    task = next((t for t in discover(args.tasks).tasks if t.task_id == args.task), None)
    if task is None or task.metadata is None:
        parser.error(f"no valid task {args.task!r} in {args.tasks}")
    size = dict(task.metadata.sizes.get(args.size, task.metadata.sizes["small"]))
    size.update({k: _value(v) for k, v in (o.split("=", 1) for o in args.overrides)})
    impl = next(i for i in task.implementations if i.key == args.framework)
    adapter = get_adapter(impl.framework)
    adapter.import_framework()
    adapter.configure(1, task.metadata.seed, "cpu")
    spec = load_module(str(task.spec_path), "calibrate_spec")
    inputs = spec.make_inputs(np.random.default_rng(task.metadata.seed), **size)
    module = load_module(str(impl.path), "calibrate_impl")
    state = wait_for(adapter, module.setup(inputs, "cpu"))
    start = time.perf_counter()
    output = wait_for(adapter, module.run(state))
    first = time.perf_counter() - start
    output = to_numpy_tree(output, adapter.to_numpy)
    if hasattr(spec, "reference"):
        comparison = compare_outputs(output, spec.reference(inputs), task.metadata.tolerance.rtol, task.metadata.tolerance.atol)
        verdict = "correct" if comparison.passed else f"INCORRECT: {comparison.message}"
    else:
        failures = list(spec.check(output, inputs))
        verdict = "correct" if not failures else f"INCORRECT: {'; '.join(failures)}"
    wait_for(adapter, module.run(state))
    times: list[float] = []
    cpu: list[float] = []
    while sum(times) < args.seconds or len(times) < 3:
        start, start_cpu = time.perf_counter(), time.process_time()
        wait_for(adapter, module.run(state))
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(f"{args.task} {args.framework} {size}: first call {first:.4f} s, median {statistics.median(times) * 1e3:.2f} ms "
          f"wall, {statistics.median(cpu) * 1e3:.2f} ms CPU over {len(times)} calls; {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
