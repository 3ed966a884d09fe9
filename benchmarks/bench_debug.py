"""How fast is `easeval debug` on the whole corpus? Prints figures; asserts nothing (not a timed test).

Targets (issue 14): every mutant of the corpus in at most 5 minutes cold on the 2-core machine, at most
10 s cached. The aids rerun doubles the work, so it is measured on its own.

Each figure is the wall time of the real command, `python -m evaluator debug`, in a subprocess
(Python start-up, imports, planning, the workers, classification and the table included), against a
results folder that starts empty (cold) and then holds the records of that run (cached). The load
average before and after each run is printed: on a shared machine other people's work is in the
figures too.

    python benchmarks/bench_debug.py [--aids] [--tasks tasks] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "evaluator", "debug", *args], cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"easeval debug failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aids", action="store_true", help="also rerun every mutant with the debugging aids")
    parser.add_argument("--tasks", default="tasks")
    parser.add_argument("--keep", type=Path, default=None, help="results folder to use and keep (default: a temporary one)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="easeval-bench-debug-") as scratch:
        results = options.keep or Path(scratch) / "results"
        args = ["--tasks", options.tasks, "--results", str(results)] + (["--aids"] if options.aids else ["--no-aids"])
        print(f"easeval debug {' '.join(args)}")
        print(f"before cold: {load()}")
        cold, output = timed(args)
        print(f"after cold:  {load()}")
        cached, cached_output = timed(args)
        print(f"after cached: {load()}")
        footer = [line for line in output.splitlines() if "mutants in" in line or "runs now" in line or "claim 8" in line]
        print("\n".join(footer))
        print(next((line for line in cached_output.splitlines() if "runs now" in line), ""))
        print(f"cold: {cold:.1f} s (target 300 s)   cached: {cached:.1f} s (target 10 s)")


if __name__ == "__main__":
    main()
