"""Wall time of the main job, `easeval report`, cold and cached, and where the time went. Prints figures:

    python benchmarks/bench_report.py [--tasks tasks] [--target-tasks 50]

Cold: an empty results folder and an empty analysis cache, so everything is analysed and measured
(small and medium sizes on CPU, three timing processes each). Cached: the same command again,
which reuses every measurement and analysis. Targets (issue 15): cold at most 8 minutes on a 2-core
machine for about 50 tasks, cached at most 10 s. The cold time of a corpus of --target-tasks tasks
is extrapolated from this one: the framework imports are paid per worker whatever the corpus, and
the rest grows with the number of measurements (tasks of the same mix of implementations and sizes).
The machine's load is printed at the start and the end: on a shared machine every figure is slower.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evaluator.report.pipeline import ReportOptions, make_report  # noqa: E402

COLD_TARGET_S, CACHED_TARGET_S = 8 * 60, 10.0


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def _report(tasks: Path, work: Path, label: str) -> tuple[float, object]:
    options = ReportOptions(tasks_dir=tasks, results_dir=work / "results", output_dir=work / "report",
                            cache_dir=work / "analysis-cache")
    print(f"{label}: load average {_load()}", flush=True)
    start = time.perf_counter()
    outcome = make_report(options, on_stage=lambda name: print(f"  {time.perf_counter() - start:7.1f} s  {name}", flush=True))
    return time.perf_counter() - start, outcome


def _breakdown(wall: float, outcome) -> list[str]:
    seconds, summary = outcome.seconds, outcome.run_summary
    lines = [f"  total {wall:.1f} s"]
    lines.append(f"    static analysis   {seconds.get('static analysis', 0.0):7.1f} s  (every file, all cores)")
    if summary is not None:
        phases = summary.phase_seconds
        execution = seconds.get("execution", 0.0)
        checks, timing = phases.get("checks", 0.0), phases.get("timing", 0.0)
        lines.append(f"    execution         {execution:7.1f} s  ({len(summary.records)} measurements, "
                     f"{summary.cached} reused)")
        lines.append(f"      checks          {checks:7.1f} s  wall, workers side by side; their framework imports "
                     f"{phases.get('checks: imports', 0.0):.1f} s summed over workers")
        timed = [phases.get(k, 0.0) for k in ("timing: imports", "timing: setup and first calls",
                                               "timing: warm-up and timed blocks")]
        lines.append(f"      timing          {timing:7.1f} s  wall, one process at a time:")
        lines.append(f"        imports                  {timed[0]:7.1f} s  (a fresh worker per framework and round)")
        lines.append(f"        setup and first calls    {timed[1]:7.1f} s")
        lines.append(f"        warm-up and timed blocks {timed[2]:7.1f} s")
        lines.append(f"        other                    {timing - sum(timed):7.1f} s  (interpreter start, forks, "
                     "inputs, waiting for results)")
        lines.append(f"      agreement, saving {execution - checks - timing:7.1f} s")
    run = outcome.debug_run
    detail = (f"{len(run.records)} runs of {sum(len(m) for m in run.plan.mutants.values())} mutants and their clean runs, "
              f"{run.cached} reused, {run.workers} workers side by side") if run is not None else "not run"
    lines.append(f"    debugging         {seconds.get('debugging', 0.0):7.1f} s  ({detail})")
    lines.append(f"    statistics        {seconds.get('statistics', 0.0):7.1f} s")
    lines.append(f"    rendering         {seconds.get('rendering', 0.0):7.1f} s")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=Path, default=REPO / "tasks")
    parser.add_argument("--target-tasks", type=int, default=50, help="corpus size to extrapolate the cold time to")
    parser.add_argument("--work", type=Path, default=None, help="folder for results, caches and the report (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="easeval-bench-report-") as tmp:
        work = args.work or Path(tmp)
        cold_wall, cold = _report(args.tasks, work, "cold (empty results folder and analysis cache)")
        cached_wall, cached = _report(args.tasks, work, "cached (the same command again)")
    tasks = len(cold.report.tasks)
    summary = cold.run_summary
    print()
    print(f"easeval report on {args.tasks} ({tasks} tasks); load average at the end {_load()}")
    print(f"cold: {cold_wall:.1f} s (target {COLD_TARGET_S:.0f} s for ~{args.target_tasks} tasks)")
    for line in _breakdown(cold_wall, cold):
        print(line)
    print(f"cached: {cached_wall:.1f} s (target {CACHED_TARGET_S:.0f} s): "
          f"{'PASS' if cached_wall <= CACHED_TARGET_S else 'FAIL'}")
    for line in _breakdown(cached_wall, cached):
        print(line)
    if summary is not None:
        imports = summary.phase_seconds.get("timing: imports", 0.0)
        fixed = imports + cold.seconds.get("rendering", 0.0)
        scaled = (cold_wall - fixed) * args.target_tasks / tasks + fixed
        print(f"extrapolated cold time for {args.target_tasks} tasks of the same mix: {scaled:.0f} s "
              f"= fixed {fixed:.0f} s (timing-round imports, rendering) + the rest x {args.target_tasks}/{tasks}: "
              f"{'PASS' if scaled <= COLD_TARGET_S else 'FAIL'} against {COLD_TARGET_S:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
