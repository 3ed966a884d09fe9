"""Fidelity and overhead of easeval's execution harness. Prints figures; run from the repository root:

    python benchmarks/bench_harness.py [--rounds 5] [--threads 1] [--skip-overhead]

Fidelity: every workload of benchmarks/fidelity_corpus (512x512 float32 matmul, small MLP forward,
one MLP training step; each in PyTorch and TensorFlow/Keras) is timed by `easeval run` with the
report's timing options (worker, fork, blocked adaptive timing; three independent processes) and,
in the same round, by the reference timers in three fresh processes per task and framework with the same
intra-op thread count, the same CPUs (easeval pins a timing process to as many CPUs as it has
threads) and the same time budget per process: torch with
`torch.utils.benchmark.Timer.adaptive_autorange`, TensorFlow with a plain `timeit` loop that waits
for each call's output (`numpy()`), in repeats of about 20 ms like easeval's blocks (under load a
longer block is preempted more often, which alone moves a median). Both sides report the median of
their process medians: the process is the unit of replication on both (benchmarks/README.md explains
why a single process is not enough for Keras). The processes run in pairs adjacent in time, one
easeval process and one reference process, alternating which goes first, so that load from other
processes hits both sides alike; the load other processes put on the machine during each process's
timing is printed. A case passes when easeval's median is within 7% of the reference's in every round.

Overhead: one `easeval run` of the corpus (tasks/ by default, --force): the share of its wall time
spent neither importing frameworks nor in measured task code (setup, first call, warm-up and
timed blocks). Target: at most 25%.

Keras on the PyTorch backend (`--framework keras-torch`): the same Keras call (mlp_forward's
keras_impl.py, the only fidelity task with one) timed by easeval's keras worker on the torch backend
and by `torch.utils.benchmark.Timer.adaptive_autorange` in a fresh process that sets KERAS_BACKEND=torch
and torch's threads before importing Keras. easeval's side runs `--framework keras`, so it also
measures the other installed backends; only the torch backend's records are compared.

The machine must be quiet: on a shared, oversubscribed machine ratios swing by tens of percent
from round to round. The load average is printed at the start, after each round and at the end.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evaluator.corpus.discovery import discover  # noqa: E402
from evaluator.runner.execute import run_corpus  # noqa: E402
from evaluator.runner.timing import TimingOptions  # noqa: E402

FIDELITY_CORPUS = REPO / "benchmarks" / "fidelity_corpus"
OPTIONS = TimingOptions()       # what `easeval report` uses
TARGET = 0.07
TIMERS = {"torch": "torch.utils.benchmark.Timer.adaptive_autorange",
          "tensorflow": "timeit, 20 ms repeats, output waited for every call",
          "keras-torch": "torch.utils.benchmark.Timer.adaptive_autorange on the Keras call, KERAS_BACKEND=torch"}
# A fidelity case -> (the framework easeval runs, the backend whose records are compared).
CASES = {"torch": ("torch", None), "tensorflow": ("tensorflow", None), "keras-torch": ("keras", "torch")}


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def reference_process(framework: str, threads: int) -> dict[str, tuple]:
    """{task_id: (median per call, others' load, page faults per call)} of every fidelity task: the
    reference timer in a fresh interpreter per task (see `--reference`), as easeval gives every
    measurement a process of its own: a workload timed after others in one process inherits their
    heap, which moved the torch training step by about 5% here."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reference.json"
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads), TF_CPP_MIN_LOG_LEVEL="2")
        for task in discover(FIDELITY_CORPUS).tasks:
            if task.implementation(CASES[framework][0]) is None:
                continue
            subprocess.run([sys.executable, __file__, "--reference", framework, "--threads", str(threads), "--out", str(out),
                            "--task", task.task_id], check=True, env=env, stderr=subprocess.DEVNULL)
            results.update({name: tuple(value) for name, value in json.loads(out.read_text()).items()})
    return results


def easeval_process(corpus, threads: int, frameworks: list[str]) -> dict[tuple[str, str], tuple]:
    """{(task_id, framework): (median per call, others' load, page faults per call)}: one `easeval run` timing process per
    implementation, with one process's share of the report's budget."""
    one = OPTIONS.per_process()
    cases = {CASES[f]: f for f in frameworks}   # (framework, backend) -> the case's name
    with tempfile.TemporaryDirectory() as results:
        summary = run_corpus(corpus, threads=threads, results_dir=Path(results), force=True, timing=one,
                             frameworks=list(dict.fromkeys(CASES[f][0] for f in frameworks)))
    records = [r for r in summary.records if (r.framework, r.backend) in cases]
    bad = [f"{r.task}/{r.impl_key}: {r.status} {r.error}" for r in records if not r.ok]
    if bad:
        raise SystemExit("easeval measurements failed:\n  " + "\n  ".join(bad))
    return {(r.task, cases[(r.framework, r.backend)]): (r.timing.median_s, r.timing.others_cores,
                                                        r.timing.replicates[0].faults_per_call)
            for r in records}


def _states(framework: str, only: str | None = None):
    """(task_id, run, state) for every fidelity task (or only the one named), set up as the harness does."""
    import numpy as np

    from evaluator.runner.worker import load_module

    for task in discover(FIDELITY_CORPUS).tasks:
        if (only and task.task_id != only) or task.implementation(framework) is None:
            continue
        spec = load_module(str(task.spec_path), f"spec_{task.task_id}")
        inputs = spec.make_inputs(np.random.default_rng(task.metadata.seed), **task.metadata.size("small"))
        impl = load_module(str(task.implementation(framework).path), f"impl_{task.task_id}_{framework}")
        yield task.task_id, impl.run, impl.setup(inputs, "cpu")


def _reference_main(framework: str, threads: int, out: Path, only: str | None = None) -> None:
    """One process of the reference timer, with one process's share of easeval's budget."""
    import resource

    from evaluator.runner.timing import LoadMeter, timing_cpus

    if OPTIONS.pin:  # the CPUs easeval's timing processes run on, before any framework thread exists
        os.sched_setaffinity(0, timing_cpus(threads))

    def faults() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    one = OPTIONS.per_process()
    results = {}
    if framework in ("torch", "keras-torch"):
        import torch
        from torch.utils.benchmark import Timer

        torch.set_num_threads(threads)
        if framework == "keras-torch":  # the backend before the first `import keras` (in the task's file)
            os.environ["KERAS_BACKEND"], os.environ["KERAS_TORCH_DEVICE"] = "torch", "cpu"
        for task_id, run, state in _states(CASES[framework][0], only):
            timer = Timer("run(state)", globals={"run": run, "state": state}, num_threads=threads)
            load, before = LoadMeter(), faults()
            measurement = timer.adaptive_autorange(threshold=one.dispersion, min_run_time=one.min_time_s,
                                                   max_run_time=one.max_time_s)
            calls = measurement.number_per_run * len(measurement.raw_times)
            results[task_id] = (measurement.median, load.others_cores(), (faults() - before) / calls)
    else:
        import timeit

        import numpy as np
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        for task_id, run, state in _states("tensorflow", only):
            timer = timeit.Timer(lambda: np.asarray(run(state)))
            warm_number, warm_seconds = timer.autorange()  # also the warm-up
            # Repeats as long as easeval's blocks (20 ms): on a loaded machine a longer block is
            # preempted more often, so block length alone would move the median.
            number = max(1, math.ceil(one.block_s / (warm_seconds / warm_number)))
            repeats = max(5, math.ceil(one.min_time_s / (warm_seconds / warm_number * number)))
            load, before = LoadMeter(), faults()
            median = statistics.median(t / number for t in timer.repeat(repeat=repeats, number=number))
            results[task_id] = (median, load.others_cores(), (faults() - before) / (repeats * number))
    out.write_text(json.dumps(results))


def fidelity(rounds: int, threads: int, frameworks: list[str], processes: int) -> bool:
    """Each round: three easeval processes and three reference processes per framework, in pairs
    adjacent in time (ABBA: easeval first in one pair, the reference first in the next), so that both
    sides of a pair see the same load; each side's median of its three process medians is compared."""
    corpus = discover(FIDELITY_CORPUS)
    ratios: dict[tuple[str, str], list[float]] = {}
    print(f"Fidelity: easeval vs reference timer, median of {processes} process medians a side, seconds per call, "
          f"{threads} thread(s), {rounds} round(s); per process {OPTIONS.per_process().min_time_s:.2g} s to "
          f"{OPTIONS.per_process().max_time_s:.2g} s of blocks (the report's options)")
    print(f"  {'round':<5} {'task':<12} {'framework':<10} {'easeval':>10} {'reference':>10} {'ratio':>6}"
          f"  per process, easeval | reference: median µs @ others' load (cores) / page faults per call")
    for round_no in range(1, rounds + 1):
        mine: dict[tuple[str, str], list[tuple]] = {}
        theirs: dict[tuple[str, str], list[tuple]] = {}
        for pair in range(processes):
            def run_easeval():
                for key, value in easeval_process(corpus, threads, frameworks).items():
                    mine.setdefault(key, []).append(value)

            def run_reference():
                for framework in frameworks:
                    for task_id, value in reference_process(framework, threads).items():
                        theirs.setdefault((task_id, framework), []).append(value)

            first, second = (run_easeval, run_reference) if (round_no + pair) % 2 else (run_reference, run_easeval)
            first()
            second()
        for framework in frameworks:
            for task_id in sorted({t for t, f in theirs if f == framework}):
                key = (task_id, framework)
                easeval = statistics.median(v[0] for v in mine[key])
                reference = statistics.median(v[0] for v in theirs[key])
                ratio = easeval / reference
                ratios.setdefault(key, []).append(ratio)

                def cells(side):
                    return " ".join(f"{v[0] * 1e6:.0f}" + ("" if v[1] is None else f"@{v[1]:.1f}")
                                    + ("" if v[2] is None else f"/{v[2]:.0f}f") for v in side)
                print(f"  {round_no:<5} {task_id:<12} {framework:<10} {easeval:>10.3e} {reference:>10.3e} {ratio:>6.3f}  "
                      f"{cells(mine[key])}  |  {cells(theirs[key])}")
        print(f"  load average after round {round_no}: {_load()}", flush=True)
    print(f"  verdict: easeval median / reference median in every round within {TARGET:.0%}")
    passed = True
    for (task_id, framework), values in sorted(ratios.items()):
        inside = sum(abs(v - 1) <= TARGET for v in values)
        ok = inside == len(values)
        passed &= ok
        print(f"    {task_id:<12} {framework:<10} {inside} of {len(values)} rounds within {TARGET:.0%}  "
              f"{'PASS' if ok else 'FAIL'}   (rounds: {', '.join(f'{v:.3f}' for v in values)}; reference: {TIMERS[framework]})")
    return passed


def overhead(tasks_dir: Path, threads: int) -> bool:
    corpus = discover(tasks_dir)
    with tempfile.TemporaryDirectory() as results:
        summary = run_corpus(corpus, threads=threads, results_dir=Path(results), force=True)
    imports = sum(summary.worker_import_seconds.values())
    task_time = 0.0
    for r in summary.records:
        for process in (r.timing.replicates if r.timing else ()):
            task_time += sum(v or 0.0 for v in (process.setup_s, process.first_call_s, process.total_run_s))
    harness = summary.wall_seconds - imports - task_time
    share = harness / summary.wall_seconds
    statuses = ", ".join(f"{n} {s}" for s, n in summary.counts.items())
    print(f"Overhead of `easeval run` on {tasks_dir} ({len(summary.records)} measurements: {statuses}):")
    print(f"  wall {summary.wall_seconds:.1f} s = framework imports {imports:.1f} s (every worker, checks side by side) "
          f"+ measured task code {task_time:.1f} s (timing processes) + harness {harness:.1f} s")
    print(f"  phases: {', '.join(f'{k} {v:.1f} s' for k, v in summary.phase_seconds.items())}")
    print(f"  harness share {share:.1%} (target <= 25%; the checks, which run the task code once more, count as harness): "
          f"{'PASS' if share <= 0.25 else 'FAIL'}")
    return share <= 0.25


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--processes", type=int, default=OPTIONS.processes,
                        help="processes a side per round (default: the report's); each with one report process's budget")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tasks", type=Path, default=REPO / "tasks")
    parser.add_argument("--framework", action="append", choices=list(CASES),
                        help="fidelity for this case only (repeatable); default torch and tensorflow")
    parser.add_argument("--skip-overhead", action="store_true")
    parser.add_argument("--skip-fidelity", action="store_true")
    parser.add_argument("--reference", choices=list(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--task", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        _reference_main(args.reference, args.threads, args.out, args.task)
        return 0
    print(f"load average at start: {_load()} on {os.cpu_count()} CPUs")
    started = time.perf_counter()
    ok = True
    if not args.skip_fidelity:
        ok &= fidelity(args.rounds, args.threads, args.framework or ["torch", "tensorflow"], args.processes)
    if not args.skip_overhead:
        ok &= overhead(args.tasks, args.threads)
    print(f"load average at end: {_load()}; took {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
