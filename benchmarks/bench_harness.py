"""Fidelity and overhead of easeval's execution harness. Prints figures; run from the repository root:

    python benchmarks/bench_harness.py [--rounds 3] [--threads 1] [--skip-overhead]

Fidelity: the two workloads of benchmarks/fidelity_corpus (512x512 float32 matmul, small MLP
forward) are timed by `easeval run` (worker, fork, blocked adaptive timing) and, in the same run, by
the reference timers in a fresh process per framework with the same intra-op thread count:
torch with `torch.utils.benchmark.Timer.adaptive_autorange`, TensorFlow with a plain `timeit` loop
that syncs each call with `.numpy()` (repeats of about 20 ms, as easeval's blocks: under load a
longer block is preempted more often, which alone moves a median). The machine must be quiet: on a
shared, oversubscribed machine the ratios swing by tens of percent from round to round. Rounds alternate easeval and references, so drift in machine
load hits both; the verdict uses the median over rounds of easeval median / reference median
(target: within 7%).

Overhead: one `easeval run` of the corpus (tasks/ by default, --force): the share of its wall time
spent neither importing frameworks nor in measured task code (setup, first call, warm-up and
timed blocks). Target: at most 25%.
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

from evaluator.corpus import discover  # noqa: E402
from evaluator.runner.execute import run_corpus  # noqa: E402
from evaluator.runner.timing import TimingOptions  # noqa: E402

FIDELITY_CORPUS = REPO / "benchmarks" / "fidelity_corpus"
MIN_TIME, MAX_TIME, DISPERSION, BLOCK_S = 1.0, 5.0, 0.1, 0.02
TARGET = 0.07


def reference_timings(framework: str, threads: int) -> dict[str, dict[str, float]]:
    """{task_id: {median_s, min_s}} (s per call) of every fidelity task, timed by the reference timer.

    Runs in a fresh interpreter that imports only this framework (see `--reference`).
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reference.json"
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads), TF_CPP_MIN_LOG_LEVEL="2")
        subprocess.run([sys.executable, __file__, "--reference", framework, "--threads", str(threads), "--out", str(out)],
                       check=True, env=env)
        return json.loads(out.read_text())


def _states(framework: str):
    """(task_id, run, state) for every fidelity task, set up exactly as the harness does."""
    import numpy as np

    from evaluator.runner.worker import load_module

    for task in discover(FIDELITY_CORPUS).tasks:
        spec = load_module(str(task.spec_path), f"spec_{task.task_id}")
        inputs = spec.make_inputs(np.random.default_rng(task.metadata.seed), **task.metadata.size("small"))
        impl = load_module(str(task.implementation(framework).path), f"impl_{task.task_id}_{framework}")
        yield task.task_id, impl.run, impl.setup(inputs, "cpu")


def _reference_main(framework: str, threads: int, out: Path) -> None:
    results = {}
    if framework == "torch":
        import torch
        from torch.utils.benchmark import Timer

        torch.set_num_threads(threads)
        for task_id, run, state in _states("torch"):
            timer = Timer("run(state)", globals={"run": run, "state": state}, num_threads=threads)
            measurement = timer.adaptive_autorange(threshold=DISPERSION, min_run_time=MIN_TIME, max_run_time=MAX_TIME)
            results[task_id] = {"median_s": measurement.median, "min_s": min(measurement.times)}
    else:
        import timeit

        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        for task_id, run, state in _states("tensorflow"):
            timer = timeit.Timer(lambda: run(state).numpy())
            warm_number, warm_seconds = timer.autorange()  # also the warm-up
            # Repeats as long as easeval's blocks (20 ms): on a loaded machine a longer block is
            # preempted more often, so block length alone would move the median.
            number = max(1, math.ceil(BLOCK_S / (warm_seconds / warm_number)))
            repeats = max(5, math.ceil(MIN_TIME / (warm_seconds / warm_number * number)))
            per_call = [t / number for t in timer.repeat(repeat=repeats, number=number)]
            results[task_id] = {"median_s": statistics.median(per_call), "min_s": min(per_call)}
    out.write_text(json.dumps(results))


TIMERS = {"torch": "torch.utils.benchmark.Timer.adaptive_autorange", "tensorflow": "timeit 20 ms repeats, .numpy() every call"}


def fidelity(rounds: int, threads: int, frameworks: list[str]) -> bool:
    """Rounds in ABBA order (easeval first in odd rounds, references first in even ones)."""
    corpus = discover(FIDELITY_CORPUS)
    timing = TimingOptions(min_time_s=MIN_TIME, max_time_s=MAX_TIME, dispersion=DISPERSION, block_s=BLOCK_S)
    ratios: dict[tuple[str, str], list[tuple[float, float]]] = {}
    print(f"Fidelity: easeval vs reference timer, seconds per call, {threads} thread(s), {rounds} round(s)")
    print(f"  {'round':<5} {'task':<12} {'framework':<10} {'easeval':>10} {'reference':>10} {'ratio':>6}"
          f" {'min ratio':>9}   reference timer")
    for round_no in range(1, rounds + 1):
        def measure_easeval():
            with tempfile.TemporaryDirectory() as results:
                summary = run_corpus(corpus, threads=threads, results_dir=Path(results), force=True, timing=timing,
                                     frameworks=frameworks)
            return {(r["task"], r["framework"]): r for r in summary.records}

        def measure_references():
            return {fw: reference_timings(fw, threads) for fw in frameworks}

        if round_no % 2:
            easeval, references = measure_easeval(), measure_references()
        else:
            references, easeval = measure_references(), measure_easeval()
        bad = [f"{k}: {r['status']} {r.get('error')}" for k, r in easeval.items() if r["status"] != "ok"]
        if bad:
            print("  easeval measurements failed:", *bad, sep="\n    ")
            return False
        for framework in frameworks:
            for task_id, ref in references[framework].items():
                timing_record = easeval[(task_id, framework)]["timing"]
                ratio = timing_record["median_s"] / ref["median_s"]
                min_ratio = min(timing_record["samples_s"]) / ref["min_s"]
                ratios.setdefault((task_id, framework), []).append((ratio, min_ratio))
                print(f"  {round_no:<5} {task_id:<12} {framework:<10} {timing_record['median_s']:>10.3e}"
                      f" {ref['median_s']:>10.3e} {ratio:>6.3f} {min_ratio:>9.3f}   {TIMERS[framework]}")
    print("  verdict: median over rounds of the ratio of medians (target: within 7%); ratio of minimum samples for reference")
    passed = True
    for (task_id, framework), values in sorted(ratios.items()):
        ratio = statistics.median(v[0] for v in values)
        min_ratio = statistics.median(v[1] for v in values)
        ok = abs(ratio - 1) <= TARGET
        passed &= ok
        print(f"    {task_id:<12} {framework:<10} {ratio:.3f}  {'PASS' if ok else 'FAIL'}   min ratio {min_ratio:.3f}"
              f"   (rounds: {', '.join(f'{v[0]:.3f}' for v in values)})")
    return passed


def overhead(tasks_dir: Path, threads: int) -> bool:
    corpus = discover(tasks_dir)
    with tempfile.TemporaryDirectory() as results:
        summary = run_corpus(corpus, threads=threads, results_dir=Path(results), force=True)
    imports = sum(summary.import_seconds.values())
    task_time = 0.0
    for r in summary.records:
        timing = r.get("timing") or {}
        task_time += sum(timing.get(k) or 0.0 for k in ("setup_s", "first_call_s", "total_run_s"))
    harness = summary.wall_seconds - imports - task_time
    in_children = sum((r.get("wall_s") or 0.0) for r in summary.records) - task_time
    share = harness / summary.wall_seconds
    statuses = ", ".join(f"{n} {s}" for s, n in summary.counts.items())
    print(f"Overhead of `easeval run` on {tasks_dir} ({len(summary.records)} measurements: {statuses}):")
    print(f"  wall {summary.wall_seconds:.1f} s = imports {imports:.1f} s "
          f"({', '.join(f'{k} {v:.2f} s' for k, v in summary.import_seconds.items())})"
          f" + measured task code {task_time:.1f} s + harness {harness:.1f} s")
    print(f"  harness time in the measurement children {in_children:.1f} s (framework configuration, inputs, float64 "
          f"reference, check, saving the output); the rest, {harness - in_children:.1f} s, is worker start-up "
          f"(interpreter, NumPy), forks, polling and the parent's bookkeeping")
    print(f"  harness share {share:.1%} (target <= 25%): {'PASS' if share <= 0.25 else 'FAIL'}")
    return share <= 0.25


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tasks", type=Path, default=REPO / "tasks")
    parser.add_argument("--framework", action="append", choices=["torch", "tensorflow"],
                        help="fidelity for this framework only (repeatable); default both")
    parser.add_argument("--skip-overhead", action="store_true")
    parser.add_argument("--skip-fidelity", action="store_true")
    parser.add_argument("--reference", choices=["torch", "tensorflow"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        _reference_main(args.reference, args.threads, args.out)
        return 0
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    started = time.perf_counter()
    ok = True
    if not args.skip_fidelity:
        ok &= fidelity(args.rounds, args.threads, args.framework or ["torch", "tensorflow"])
    if not args.skip_overhead:
        ok &= overhead(args.tasks, args.threads)
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; took {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
