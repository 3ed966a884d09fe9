"""Analyse many files (the task corpus, or any paths) on every core, through the content-hash cache."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Mapping, Sequence

from evaluator.analysis.cache import DEFAULT_CACHE_DIR, analysis_fingerprint, cache_key, load_cached, store
from evaluator.analysis.analysis_types import FileAnalysis, framework_roots
from evaluator.corpus.discovery import Implementation, discover
from evaluator.corpus.manifest import MANIFEST_FILE, ManifestError, load_manifest


@dataclass(frozen=True)
class AnalysisTarget:
    """A file to analyse and, when it belongs to a corpus, the implementation it is."""

    path: Path
    implementation: Implementation | None = None


@dataclass(frozen=True)
class AnalyzedFile:
    target: AnalysisTarget
    analysis: FileAnalysis


@dataclass(frozen=True)
class CorpusAnalysis:
    files: tuple[AnalyzedFile, ...]
    problems: tuple[str, ...]        # corpus or path problems and cache trouble; files still analysed
    roots: tuple[str, ...]           # top-level modules counted as framework APIs
    static_only: bool = False        # a folder of *_impl.py pairs without metadata or spec
    cache_hits: int = 0
    analysed: int = 0                # files analysed in this run (cache misses)
    aliases: tuple[tuple[str, str], ...] = ()  # the corpus.toml aliases the API surface resolved


def analyze(paths: Sequence[Path] = (), tasks_dir: Path = Path("tasks"), *,
            cache_dir: Path | None = DEFAULT_CACHE_DIR, workers: int | None = None) -> CorpusAnalysis:
    """With no paths, every implementation of the corpus in `tasks_dir`; else every .py file under `paths`.

    An imported corpus's `[aliases]` (corpus.toml) are resolved: that of `tasks_dir`, or for paths
    the one of each file's corpus (`DIR/corpus.toml` for `DIR/<task>/<framework>_impl.py`)."""
    if paths:
        targets, problems = path_targets(paths)
        aliases, alias_problems = aliases_near([t.path for t in targets])
        problems += alias_problems
        static_only = False
    else:
        corpus = discover(tasks_dir)
        targets = [AnalysisTarget(i.path, i) for task in corpus.tasks for i in task.implementations]
        problems, static_only = [str(p) for p in corpus.problems], corpus.static_only
        aliases = corpus.manifest.aliases if corpus.manifest else {}
    return analyze_targets(targets, cache_dir=cache_dir, workers=workers, problems=problems, static_only=static_only,
                           aliases=aliases)


def aliases_near(files: Sequence[Path]) -> tuple[dict[str, str], list[str]]:
    """The `[aliases]` of the corpora the files sit in (DIR/corpus.toml for DIR/<task>/<file>), merged."""
    aliases: dict[str, str] = {}
    problems: list[str] = []
    for manifest_path in dict.fromkeys(Path(f).resolve().parent.parent / MANIFEST_FILE for f in files):
        if not manifest_path.is_file():
            continue
        try:
            table = load_manifest(manifest_path).aliases
        except ManifestError as exc:
            problems.append(f"{exc}; its aliases are not used")
            continue
        for key, value in table.items():
            if aliases.setdefault(key, value) != value:
                problems.append(f"{manifest_path}: alias {key!r} = {value!r} conflicts with {aliases[key]!r} "
                                f"from another corpus.toml; the first is used")
    return aliases, problems


def path_targets(paths: Sequence[Path]) -> tuple[list[AnalysisTarget], list[str]]:
    """Files as named, folders searched for .py files (hidden folders and __pycache__ skipped)."""
    files: list[Path] = []
    problems: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(f for f in path.rglob("*.py") if f.is_file() and not _is_hidden(f.relative_to(path)))
        elif path.exists():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    return [AnalysisTarget(f) for f in dict.fromkeys(files)], problems


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts[:-1])


def analyze_targets(targets: Sequence[AnalysisTarget], *, cache_dir: Path | None = DEFAULT_CACHE_DIR,
                    workers: int | None = None, roots: frozenset[str] | None = None,
                    problems: Sequence[str] = (), static_only: bool = False,
                    aliases: Mapping[str, str] | None = None) -> CorpusAnalysis:
    """Analyse `targets`: cached results where the content is unchanged, the rest in a process pool."""
    roots = framework_roots() if roots is None else roots
    aliases = dict(aliases or {})
    fingerprint = analysis_fingerprint(roots, aliases)
    problems = list(problems)
    results: list[FileAnalysis | None] = [None] * len(targets)
    pending: list[tuple[int, bytes, str]] = []  # index, content, cache key
    hits = 0
    for index, target in enumerate(targets):
        try:
            data = target.path.read_bytes()
        except OSError as exc:
            results[index] = FileAnalysis("", 0, error=f"cannot read: {exc}")
            continue
        key = cache_key(hashlib.sha256(data).hexdigest(), fingerprint)
        results[index] = load_cached(cache_dir, key, fingerprint) if cache_dir is not None else None
        if results[index] is None:
            pending.append((index, data, key))
        else:
            hits += 1

    fresh = _analyze_contents([data for _, data, _ in pending], roots, workers, aliases)
    for (index, _, key), analysis in zip(pending, fresh):
        results[index] = analysis
        if cache_dir is not None:
            try:
                store(cache_dir, key, fingerprint, analysis)
            except OSError as exc:
                problems.append(f"{cache_dir}: cache not written ({exc})")
                cache_dir = None  # say it once; the results are complete anyway
    return CorpusAnalysis(
        files=tuple(AnalyzedFile(t, r) for t, r in zip(targets, results)),
        problems=tuple(problems), roots=tuple(sorted(roots)), static_only=static_only,
        cache_hits=hits, analysed=len(pending), aliases=tuple(sorted(aliases.items())),
    )


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _pool_context() -> multiprocessing.context.BaseContext:
    """A forkserver, never a plain fork: the caller may have imported (and started) a multithreaded
    framework, say JAX in a test session or a notebook, and forking such a process can deadlock (JAX
    warns "os.fork() was called"). The server is a fresh interpreter that imports only the analysis
    modules, so each pool process forks from a single-threaded parent and starts warm."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["evaluator.analysis.file_analysis"])
    return context


def _analyze_contents(contents: list[bytes], roots: frozenset[str], workers: int | None,
                      aliases: dict[str, str] | None = None) -> list[FileAnalysis]:
    """analyze_source over `contents`, in order; largest first across a process pool when it pays."""
    if not contents:
        return []  # served entirely from the cache: libcst and radon are never even imported
    from evaluator.analysis.file_analysis import analyze_source

    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(contents) < 2:
        return [analyze_source(data, roots, aliases) for data in contents]
    order = sorted(range(len(contents)), key=lambda i: -len(contents[i]))
    results: list[FileAnalysis | None] = [None] * len(contents)
    with ProcessPoolExecutor(max_workers=min(workers, len(contents)), mp_context=_pool_context()) as pool:
        for index, analysis in zip(order, pool.map(analyze_source, [contents[i] for i in order], repeat(roots), repeat(aliases))):
            results[index] = analysis
    return results
