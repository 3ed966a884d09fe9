"""How fast is `easeval analyze`? Prints figures; asserts nothing (not a timed test).

Targets (issue "Static analysis"): on 300 files of an installed package, the analysis with a cold
cache takes at most 1.3 times a bare single-process loop of `libcst.parse_module` over the same
files, and a rerun with nothing changed at most a twentieth of the cold time.

Files: the first 300 non-empty .py files of the installed keras package, sorted by relative path.
Baseline: the texts are read first, then only `libcst.parse_module` is timed (no I/O: the stricter
comparison). Cold and warm: `evaluator.analysis.corpus_analysis.analyze`, the library call behind
`easeval analyze PATHS`, in this process, with a new empty cache folder; it reads, hashes, analyses
on every core and writes the cache. The same command in a subprocess (Python start-up and imports
included) is timed too, for information.

    python benchmarks/bench_analysis.py [--files 300] [--repeat 1] [--package keras]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import libcst

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from evaluator.analysis.corpus_analysis import analyze, default_workers  # noqa: E402


def package_files(package: str, count: int) -> list[Path]:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {package!r} is not installed")
    root = Path(list(spec.submodule_search_locations)[0])
    files = sorted((p for p in root.rglob("*.py") if p.stat().st_size > 0), key=lambda p: p.relative_to(root).as_posix())
    return files[:count]


def _parse_all(texts: list[str]) -> None:
    for text in texts:
        libcst.parse_module(text)  # discarded at once, as in a plain loop: keeping 300 trees alive slows the GC


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def cli_seconds(files: list[Path], cache_dir: Path) -> float:
    command = [sys.executable, "-m", "evaluator", "analyze", "--format", "json", "--cache-dir", str(cache_dir), *map(str, files)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1])
    return time.perf_counter() - start


def one_run(files: list[Path], megabytes: float) -> None:
    texts = [f.read_text(encoding="utf-8") for f in files]
    cpu_start = cpu_seconds()
    baseline = timed(lambda: _parse_all(texts))
    cpu_baseline = cpu_seconds() - cpu_start
    with tempfile.TemporaryDirectory() as cache:
        holder = {}
        cpu_start = cpu_seconds()
        cold = timed(lambda: holder.setdefault("cold", analyze(files, cache_dir=Path(cache))))
        cpu_cold = cpu_seconds() - cpu_start
        warm = timed(lambda: holder.setdefault("warm", analyze(files, cache_dir=Path(cache))))
    errors = sum(1 for f in holder["cold"].files if f.analysis.error)
    assert holder["warm"].cache_hits == len(files), "the rerun was not served from the cache"
    with tempfile.TemporaryDirectory() as cache:
        cli_cold = cli_seconds(files, Path(cache))
        cli_warm = cli_seconds(files, Path(cache))
    print(f"  baseline libcst.parse_module loop  {baseline:7.2f} s  {megabytes / baseline:5.2f} MB/s")
    print(f"  analyze, cold cache                {cold:7.2f} s  {megabytes / cold:5.2f} MB/s   ({errors} file errors)")
    print(f"  analyze, warm cache                {warm:7.3f} s")
    print(f"  cold / baseline = {cold / baseline:.2f}  (target <= 1.3)")
    print(f"  warm / cold     = {warm / cold:.4f}  (target <= 0.05)")
    print(f"  CPU seconds (load-independent): baseline {cpu_baseline:.2f}, cold analysis {cpu_cold:.2f} "
          f"(= {cpu_cold / cpu_baseline:.2f} x; divided by {default_workers()} cores: {cpu_cold / cpu_baseline / default_workers():.2f})")
    print(f"  CLI subprocess: cold {cli_cold:.2f} s ({cli_cold / baseline:.2f} x baseline), "
          f"warm {cli_warm:.3f} s ({cli_warm / cli_cold:.4f} of cold)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", default="keras")
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    files = package_files(args.package, args.files)
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{len(files)} files of {args.package}, {megabytes:.2f} MB; {default_workers()} cores; "
          f"load average {load:.2f}; Python {sys.version.split()[0]}")
    for run in range(1, args.repeat + 1):
        print(f"run {run}:")
        one_run(files, megabytes)


if __name__ == "__main__":
    main()
