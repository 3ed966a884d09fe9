"""Wall time of the main job, `easeval report`, cold and cached, and where the time went. Prints figures:

    python benchmarks/bench_report.py [--tasks tasks] [--only TASK ...]

Cold: an empty results folder and an empty analysis cache, so everything is analysed and measured
(small and medium sizes on CPU, two or three timing processes each). Cached: the same command again,
which reuses every measurement and analysis. Targets (issue 24): the first report on disk within
90 s, cold at most 8 minutes on a 2-core machine, cached at most 10 s. Each run prints its stage
table (Markdown), so the next change can be judged the same way. The machine's load is printed at the start and the end: on a shared machine every figure is slower.
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
from collections import Counter
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evaluator.report.pipeline import ReportOptions, make_report  # noqa: E402

COLD_TARGET_S, CACHED_TARGET_S, FIRST_TARGET_S = 8 * 60, 10.0, 90.0


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def _report(tasks: Path, work: Path, label: str) -> tuple[float, object]:
    options = ReportOptions(tasks_dir=tasks, results_dir=work / "results", output_dir=work / "report",
                            cache_dir=work / "analysis-cache")
    print(f"{label}: load average {_load()}", flush=True)
    start = time.perf_counter()
    outcome = make_report(options, on_stage=lambda name: print(f"  {time.perf_counter() - start:7.1f} s  {name}", flush=True))
    return time.perf_counter() - start, outcome


def stage_table(wall: float, outcome) -> list[str]:
    """Where the time went, as a Markdown table (issue 24's stages), for any run of the main job."""
    seconds, summary = outcome.seconds, outcome.run_summary
    rows = [("first report on disk", seconds.get("first report", wall), "static verdicts and anything already measured")]
    rows.append(("static analysis", seconds.get("static analysis", 0.0), "every file, all cores"))
    if summary is not None:
        phases = summary.phase_seconds
        records = [r for r in summary.records if r.cached_from is None]
        timed = [r for r in records if r.ok and r.timing is not None]
        settled = Counter(len(r.timing.process_medians_s) for r in timed)
        compiled = [r for r in timed if r.variant in ("compiled", "jit", "function")]
        rows.append(("execution", seconds.get("execution", 0.0),
                     f"{len(summary.records)} measurements, {summary.cached} reused; processes per timed measurement: "
                     + (", ".join(f"{n}: {k}" for k, n in sorted(settled.items())) or "none")))
        for k in range(1, 10):
            if f"timing: process {k}" in phases:
                what = "checks the output, then times it; the only cold first calls" if k == 1 else "measurements not yet settled"
                rows.append((f"  timing process {k}", phases[f"timing: process {k}"], what))
        rows.append(("  of which imports", phases.get("timing: imports", 0.0), "a fresh worker per framework and round"))
        rows.append(("  of which setup and first calls", phases.get("timing: setup and first calls", 0.0),
                     f"{sum((r.timing.replicates[0].first_call_s or 0.0) for r in compiled if r.timing.replicates):.0f} s "
                     f"are the first calls of {len(compiled)} compiled implementations' first processes"))
        rows.append(("  of which warm-up and timed blocks", phases.get("timing: warm-up and timed blocks", 0.0), ""))
        steps = Counter()
        for r in timed:
            for p in r.timing.replicates:
                steps.update(p.steps_s or {})
        harness = ("after fork", "configure", "load", "check", "write and exit")
        rows.append(("  of which harness steps", sum(steps[k] for k in harness),
                     ", ".join(f"{k} {steps[k]:.0f} s" for k in harness) + " (the reference is computed in load, process 1)"))
    run = outcome.debug_run
    detail = (f"{len(run.records)} runs (mutants and their clean runs; {sum(len(m) for m in run.plan.mutants.values())} "
              f"mutants planned, the scope runs claim 8's by default), {run.cached} reused, "
              f"{run.workers} workers side by side") if run is not None else "not run"
    rows.append(("planted bugs", seconds.get("debugging", 0.0), detail))
    rows.append(("documentation", seconds.get("documentation", 0.0), "cached per framework version"))
    rows.append(("statistics and rendering", seconds.get("statistics", 0.0) + seconds.get("rendering", 0.0),
                 "summed over every time the report was written"))
    rows.append(("total", wall, ""))
    return ["| stage | s | what |", "| --- | ---: | --- |"] + [f"| {a} | {b:.1f} | {c} |" for a, b, c in rows]


def _kind(record) -> str:
    """A kind of implementation as job ids name it: 'torch_compiled', 'keras@jax'."""
    return f"{record.impl_key}@{record.backend}" if record.backend else record.impl_key


def kind_table(outcome) -> list[str]:
    """Where the timing processes' time went, by kind of implementation (framework, variant, Keras backend),
    and the floor no lever on the number of processes can go below: every measurement's first process
    (it checks the output and takes the only cold first call). Seconds are the processes' own steps."""
    summary = outcome.run_summary
    if summary is None:
        return []
    kinds: dict[str, list[float]] = {}
    for r in summary.records:
        if r.cached_from is not None or not r.ok or r.timing is None:
            continue
        row = kinds.setdefault(_kind(r), [0, 0.0, 0.0, 0.0, 0.0])
        row[0] += 1
        for k, p in enumerate(r.timing.replicates):
            steps = p.steps_s or {}
            row[1 if k == 0 else 2] += sum(steps.values())
            row[3] += steps.get("first call", 0.0)
            row[4] += steps.get("timing", 0.0)
    if not kinds:
        return []
    lines = ["| implementation | measurements | process 1 s | later processes s | of all: first calls s | of all: warm-up and blocks s |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, (n, first, later, calls, blocks) in sorted(kinds.items(), key=lambda kv: -(kv[1][1] + kv[1][2])):
        lines.append(f"| {name} | {n} | {first:.0f} | {later:.0f} | {calls:.0f} | {blocks:.0f} |")
    floor = sum(v[1] for v in kinds.values())
    lines.append("")
    lines.append(f"Floor: with one process per measurement, execution would still take at least {floor:.0f} s "
                 f"(the first processes' own steps, without the parent's bookkeeping or worker imports).")
    return lines


def round_drift(records) -> list[str]:
    """Whether the host's speed drifted between rounds: per round (a measurement's k-th process) and kind of
    implementation, the median of log(process median / the measurement's median). A round in which one
    kind reads fast or slow as a block is the host, not the code: each round times the kinds one after
    the other, so a drift over minutes lands on one framework's measurements and not on the other's."""
    deviations: dict[tuple[int, str], list[float]] = {}
    for r in records:
        if r.cached_from is not None or not r.ok or r.timing is None or len(r.timing.replicates) < 2:
            continue
        middle = statistics.median(p.median_s for p in r.timing.replicates)
        for k, p in enumerate(r.timing.replicates):
            deviations.setdefault((k + 1, _kind(r)), []).append(math.log(p.median_s / middle))
    if not deviations:
        return []
    rounds = sorted({k for k, _ in deviations})
    kinds = sorted({kind for _, kind in deviations}, key=lambda kind: -len(deviations.get((1, kind), [])))
    lines = ["Host drift between rounds: median of a process's time over its measurement's median, per round "
             "(processes of a round are timed kind after kind; a kind that reads fast or slow as a block is the host's drift).",
             "", "| implementation | " + " | ".join(f"round {k}" for k in rounds) + " |",
             "| --- |" + " ---: |" * len(rounds)]
    for kind in kinds:
        cells = [f"{math.exp(statistics.median(deviations[(k, kind)])):.2f} (n={len(deviations[(k, kind)])})"
                 if (k, kind) in deviations else "-" for k in rounds]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=Path, default=REPO / "tasks")
    parser.add_argument("--only", action="append", default=[], metavar="TASK",
                        help="measure only this task of --tasks (repeatable): a copy of those folders is reported")
    parser.add_argument("--work", type=Path, default=None, help="folder for results, caches and the report (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="easeval-bench-report-") as tmp:
        work = args.work or Path(tmp)
        if args.only:
            subset = work / "tasks"
            for task_id in args.only:
                shutil.copytree(args.tasks / task_id, subset / task_id)
            args.tasks = subset
        cold_wall, cold = _report(args.tasks, work, "cold (empty results folder and analysis cache)")
        cached_wall, cached = _report(args.tasks, work, "cached (the same command again)")
    tasks = len(cold.report.tasks)
    print()
    print(f"easeval report on {args.tasks} ({tasks} tasks); load average at the end {_load()}")
    first = cold.seconds.get("first report", cold_wall)
    print(f"cold: {cold_wall:.1f} s (target {COLD_TARGET_S:.0f} s): {'PASS' if cold_wall <= COLD_TARGET_S else 'FAIL'}; "
          f"first report on disk after {first:.1f} s (target {FIRST_TARGET_S:.0f} s): "
          f"{'PASS' if first <= FIRST_TARGET_S else 'FAIL'}")
    for line in stage_table(cold_wall, cold):
        print(line)
    print()
    for line in kind_table(cold):
        print(line)
    if cold.run_summary is not None:
        print()
        for line in round_drift(cold.run_summary.records):
            print(line)
    print(f"cached: {cached_wall:.1f} s (target {CACHED_TARGET_S:.0f} s): "
          f"{'PASS' if cached_wall <= CACHED_TARGET_S else 'FAIL'}")
    for line in stage_table(cached_wall, cached):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
