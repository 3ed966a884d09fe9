"""How fast is `easeval analyze`? Prints figures; asserts nothing (not a timed test).

Targets (issue "Static analysis"): on 300 files of an installed package, the analysis with a cold
cache takes at most 1.3 times a bare single-process loop of `libcst.parse_module` over the same
files, and a rerun with nothing changed at most a twentieth of the cold time.

Targets (issue 12, imported corpora), `--corpus DIR`: the cold analysis of an imported corpus (the
HF pairs: `easeval import pairs` on the transformers 4.46.3 wheel) at most 1.0 times the bare parse
loop over its files, measured in the same run; warm at most 0.02 times cold; peak RSS at most 1 GB.
The analysis runs in a fresh interpreter (`analyze((), DIR)`, the call behind `easeval analyze
--tasks DIR`: discovery, corpus.toml aliases, hashing, the pool, the cache), so its peak RSS is its
own: the largest of the parent's and of any one worker's (ru_maxrss). `--generated`: a 2 MB file
made here (a deep nesting and a long literal) against its own libcst parse, at most 2x, and no
RecursionError may escape (it must come back as the file's recorded error).

Files: the first 300 non-empty .py files of the installed keras package, sorted by relative path.
Baseline: the texts are read first, then only `libcst.parse_module` is timed (no I/O: the stricter
comparison). Cold and warm: `evaluator.analysis.corpus_analysis.analyze`, the library call behind
`easeval analyze PATHS`, in this process, with a new empty cache folder; it reads, hashes, analyses
on every core and writes the cache. The same command in a subprocess (Python start-up and imports
included) is timed too, for information.

    python benchmarks/bench_analysis.py [--files 300] [--repeat 1] [--package keras]
    python benchmarks/bench_analysis.py --corpus DIR [--repeat 1]
    python benchmarks/bench_analysis.py --generated
"""

from __future__ import annotations

import argparse
import importlib.util
import json
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


_CORPUS_RUN = """
import json, resource, sys, tempfile, time
from pathlib import Path
from evaluator.analysis.corpus_analysis import analyze

def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

with tempfile.TemporaryDirectory() as cache:
    start, cpu_start = time.perf_counter(), cpu()
    cold = analyze((), Path(sys.argv[1]), cache_dir=Path(cache))
    cold_s, cold_cpu = time.perf_counter() - start, cpu() - cpu_start
    start = time.perf_counter()
    warm = analyze((), Path(sys.argv[1]), cache_dir=Path(cache))
    warm_s = time.perf_counter() - start
print(json.dumps({"cold_s": cold_s, "cold_cpu_s": cold_cpu, "warm_s": warm_s, "files": len(cold.files),
                  "errors": [f"{f.target.path}: {f.analysis.error}" for f in cold.files if f.analysis.error],
                  "warm_hits": warm.cache_hits, "aliases": len(cold.aliases),
                  "rss_self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "rss_worker_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def corpus_run(folder: Path) -> None:
    from evaluator.corpus.discovery import discover

    files = [i.path for task in discover(folder).tasks for i in task.implementations]
    data = [f.read_bytes() for f in files]
    megabytes, lines = sum(map(len, data)) / 1e6, sum(d.count(b"\n") for d in data)
    texts = [d.decode("utf-8", errors="replace") for d in data]
    print(f"corpus {folder}: {len(files)} files, {lines:,} lines, {megabytes:.2f} MB; {default_workers()} cores; "
          f"load average {os.getloadavg()[0]:.2f}")
    cpu_start = cpu_seconds()
    baseline = timed(lambda: _parse_all(texts))
    cpu_baseline = cpu_seconds() - cpu_start
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", _CORPUS_RUN, str(folder)], check=True, capture_output=True, text=True,
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    figures = json.loads(done.stdout)
    cold, warm = figures["cold_s"], figures["warm_s"]
    peak = max(figures["rss_self_kib"], figures["rss_worker_kib"]) / 1024
    print(f"  baseline libcst.parse_module loop (1 process)  {baseline:7.2f} s  {megabytes / baseline:5.2f} MB/s  "
          f"(CPU {cpu_baseline:.2f} s)")
    print(f"  analyze --tasks DIR, cold cache               {cold:7.2f} s  {megabytes / cold:5.2f} MB/s  "
          f"(CPU {figures['cold_cpu_s']:.2f} s in {default_workers()} processes; {len(figures['errors'])} file errors, "
          f"{figures['aliases']} aliases)")
    print(f"  analyze --tasks DIR, warm cache               {warm:7.3f} s  ({figures['warm_hits']} of {figures['files']} from the cache)")
    print(f"  cold / baseline = {cold / baseline:.2f}  (target <= 1.0); CPU cold / CPU baseline = "
          f"{figures['cold_cpu_s'] / cpu_baseline:.2f}")
    print(f"  warm / cold     = {warm / cold:.4f}  (target <= 0.02)")
    print(f"  peak RSS: {peak:.0f} MiB (parent {figures['rss_self_kib'] / 1024:.0f} MiB, largest worker "
          f"{figures['rss_worker_kib'] / 1024:.0f} MiB; target <= 1024 MiB)")
    for error in figures["errors"][:5]:
        print(f"  file error: {error}")
    print(f"  load average after: {os.getloadavg()[0]:.2f}")


def generated_source(megabytes: float = 2.0) -> str:
    """A deep nesting (blocks as deep as the tokenizer allows, a nested literal, a long operator chain)
    and a long literal filling the file to `megabytes`."""
    parts = ["def deep(x):\n"]
    parts += [" " * (4 * level) + f"if x > {level}:\n" for level in range(1, 95)]
    parts.append(" " * (4 * 95) + "return x\n\n")
    parts.append("NESTED = " + "{'k': " * 150 + "0" + "}" * 150 + "\n")
    parts.append("CHAIN = " + " + ".join(["x"] * 900) + "\n")
    head = "".join(parts)
    target = int(megabytes * 1e6) - len(head)
    row = "    " + ", ".join(str(1_000_000 + i) for i in range(10)) + ",\n"
    return head + "TABLE = [\n" + row * (target // len(row)) + "]\n"


def generated_run() -> None:
    from evaluator.analysis.file_analysis import analyze_source
    from evaluator.analysis.analysis_types import framework_roots

    source = generated_source()
    data = source.encode()
    print(f"generated file: {len(data) / 1e6:.2f} MB, {source.count(chr(10)):,} lines; load average {os.getloadavg()[0]:.2f}")
    parse = timed(lambda: libcst.parse_module(source))
    holder = {}
    try:
        analysis = timed(lambda: holder.setdefault("a", analyze_source(data, framework_roots())))
    except RecursionError as exc:  # the target: this must never happen
        print(f"  RecursionError escaped the analysis: {exc}")
        return
    result = holder["a"]
    print(f"  libcst.parse_module        {parse:7.2f} s")
    print(f"  analyze_source (all metrics) {analysis:7.2f} s   = {analysis / parse:.2f} x the parse (target <= 2)")
    print(f"  recorded: {result.error or 'no error'}; sloc {result.size.sloc if result.size else '-'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", default="keras")
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=None, help="an imported corpus folder (easeval import)")
    parser.add_argument("--generated", action="store_true", help="a generated 2 MB file against its own parse")
    args = parser.parse_args()
    if args.corpus is not None or args.generated:
        for run in range(1, args.repeat + 1):
            print(f"run {run}:")
            if args.corpus is not None:
                corpus_run(args.corpus)
            if args.generated:
                generated_run()
        return
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
