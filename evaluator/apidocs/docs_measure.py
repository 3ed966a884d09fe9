"""Measure the installed documentation of the APIs a corpus calls: analysis, one worker per framework, cache.

`measure_docs` never raises for a broken name or a failing worker: a worker that crashes, times
out or writes nothing yields records whose `reason` names the failure, and the run goes on.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from evaluator.analysis.corpus_analysis import analyze
from evaluator.apidocs.api_doc import RECORD_SCHEMA_VERSION, ApiDoc, unresolved
from evaluator.apidocs.docs_coverage import DocsCoverage, FrameworkCoverage, Ratio, docs_coverage, usage_from_analysis, used_names
from evaluator.apidocs.inspect_worker import FRAMEWORK_ROOTS, installed_version

# Changelog of the coverage document (`coverage_document`):
# 1: first version.
COVERAGE_SCHEMA_VERSION = 1

DEFAULT_CACHE_DIR = Path(".easeval-cache") / "apidocs"
WORKER_TIMEOUT_S = 300.0


def _root_framework() -> dict[str, str]:
    return {root: framework for framework, roots in FRAMEWORK_ROOTS.items() for root in roots}


def run_worker(framework: str, names: list[str], timeout: float = WORKER_TIMEOUT_S) -> list[ApiDoc]:
    """Inspect `names` in a fresh interpreter that imports only `framework`; failures become reasons."""
    with tempfile.TemporaryDirectory(prefix="easeval-apidocs-") as tmp:
        request, answer = Path(tmp) / "in.json", Path(tmp) / "out.json"
        request.write_text(json.dumps({"framework": framework, "names": names}))
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
        try:
            done = subprocess.run([sys.executable, "-m", "evaluator.apidocs.inspect_worker", str(request), str(answer)],
                                  env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return [unresolved(n, f"{framework} worker timed out after {timeout:g} s") for n in names]
        failure = _worker_failure(done, answer)
        if failure is not None:
            return [unresolved(n, f"{framework} worker failed: {failure}") for n in names]
        data = json.loads(answer.read_text())
        return [ApiDoc.from_json(record) for record in data["records"]]


def _worker_failure(done: subprocess.CompletedProcess, answer: Path) -> str | None:
    stderr_tail = done.stderr.strip().splitlines()[-1:] if done.stderr else []
    if done.returncode != 0:
        return f"exit status {done.returncode}" + (f": {stderr_tail[0]}" if stderr_tail else "")
    try:
        data = json.loads(answer.read_text())
    except (OSError, ValueError) as exc:
        return f"no readable answer ({exc})"
    if data.get("schema_version") != RECORD_SCHEMA_VERSION:
        return f"answer has schema_version {data.get('schema_version')!r}, expected {RECORD_SCHEMA_VERSION}"
    return None


def inspector_hash() -> str:
    """Hash of the worker's source: a change in how docstrings are read makes the cache stale (asv's rule)."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for module in ("api_doc.py", "docstrings.py", "inspect_worker.py"):
        digest.update((package / module).read_bytes())
    return digest.hexdigest()


def cache_path(cache_dir: Path, framework: str, version: str, names: Iterable[str]) -> Path:
    """One file per framework, installed version, set of names and worker source: any change is a new file."""
    digest = hashlib.sha256("\n".join([inspector_hash(), *sorted(names)]).encode()).hexdigest()[:16]
    return cache_dir / f"{framework}-{version}-{digest}.json"


def _load_cache(path: Path) -> list[ApiDoc] | None:
    try:
        data = json.loads(path.read_text())
        if data.get("schema_version") != RECORD_SCHEMA_VERSION:
            return None  # older or newer records: inspect again rather than misread them
        return [ApiDoc.from_json(record) for record in data["records"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _store_cache(path: Path, framework: str, version: str, records: list[ApiDoc]) -> str | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"schema_version": RECORD_SCHEMA_VERSION, "framework": framework,
                                    "version": version, "records": [r.to_json() for r in records]}))
    except OSError as exc:
        return f"{path}: cache not written ({exc})"
    return None


def inspect_names(names: Iterable[str], cache_dir: Path | None, frameworks: Iterable[str] | None = None
                  ) -> tuple[dict[str, ApiDoc], tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(records by name, framework versions, problems): names routed to their framework's worker by root."""
    by_framework: dict[str, list[str]] = {}
    records: dict[str, ApiDoc] = {}
    roots = _root_framework()
    for name in sorted(set(names)):
        framework = roots.get(name.split(".")[0])
        if framework is None:
            records[name] = unresolved(name, "no framework worker answers for this top-level module")
        else:
            by_framework.setdefault(framework, []).append(name)
    versions, problems = [], []
    for framework, framework_names in by_framework.items():
        version = installed_version(framework)
        if (frameworks is not None and framework not in frameworks) or version is None \
                or importlib.util.find_spec(framework) is None:
            why = "not measured" if version is not None else "not installed"
            records.update((n, unresolved(n, f"{framework} {why}")) for n in framework_names)
            continue
        versions.append((framework, version))
        path = cache_path(cache_dir, framework, version, framework_names) if cache_dir is not None else None
        found = _load_cache(path) if path is not None else None
        if found is None:
            found = run_worker(framework, framework_names)
            crashed = all(not r.exists and (r.reason or "").startswith(f"{framework} worker") for r in found)
            if crashed:
                problems.append(found[0].reason or f"{framework} worker failed")
            elif path is not None:  # a crash is not cached: the next run tries again
                problems += filter(None, [_store_cache(path, framework, version, found)])
        records.update((r.name, r) for r in found)
    return records, tuple(sorted(versions)), tuple(problems)


def measure_docs(tasks_dir: Path, cache_dir: Path | None = DEFAULT_CACHE_DIR,
                 frameworks: Iterable[str] | None = None, include_variants: bool = False) -> DocsCoverage:
    """Documentation coverage of the APIs the corpus in `tasks_dir` calls, for the installed frameworks."""
    corpus = analyze(tasks_dir=tasks_dir)
    usage = usage_from_analysis(corpus)
    frameworks = None if frameworks is None else tuple(frameworks)
    records, versions, problems = inspect_names(used_names(usage, include_variants), cache_dir, frameworks)
    measured = {f for f, _ in versions}
    counted = sorted({u.framework for u in usage if u.framework in measured and (frameworks is None or u.framework in frameworks)})
    coverage = docs_coverage(usage, records, counted, include_variants)
    return replace(coverage, versions=versions, problems=tuple(corpus.problems) + problems)


def _ratio_json(ratio: Ratio) -> dict:
    return {"count": ratio.count, "total": ratio.total, "value": ratio.value}


def _shares_json(shares) -> dict:
    return {
        "distinct_apis": shares.distinct_apis, "calls": shares.calls, "resolved_apis": shares.resolved_apis,
        **{key: {"per_api": _ratio_json(share.per_api), "by_calls": _ratio_json(share.by_calls)}
           for key, share in (("with_docstring", shares.with_docstring),
                              ("params_documented", shares.params_documented),
                              ("with_example", shares.with_example))},
    }


def coverage_document(coverage: DocsCoverage) -> dict:
    """The JSON document of a coverage measurement."""
    return {
        "schema_version": COVERAGE_SCHEMA_VERSION,
        "include_variants": coverage.include_variants,
        "versions": dict(coverage.versions),
        "problems": list(coverage.problems),
        "frameworks": {f.framework: _framework_json(f) for f in coverage.frameworks},
    }


def _framework_json(f: FrameworkCoverage) -> dict:
    return {
        "implementations": f.implementations, "shares": _shares_json(f.shares),
        "tasks": {t.task_id: _shares_json(t.shares) for t in f.tasks},
        "unresolved": [{"name": n, "reason": r} for n, r in f.unresolved],
        "missing_example": [{"name": n, "count": c} for n, c in f.missing_example],
        "missing_docstring": [{"name": n, "count": c} for n, c in f.missing_docstring],
    }


def _percent(ratio: Ratio) -> str:
    return "-" if ratio.value is None else f"{100 * ratio.value:.0f}% ({ratio.count}/{ratio.total})"


def coverage_table(coverage: DocsCoverage, top: int = 10) -> str:
    """Plain-text table of the per-framework shares, then each framework's most-used APIs without an example."""
    header = ("framework", "impls", "apis", "calls", "docstring/api", "docstring/call", "params/api",
              "params/call", "example/api", "example/call", "unresolved")
    rows = [header] + [(
        f.framework, str(f.implementations), str(f.shares.distinct_apis), str(f.shares.calls),
        _percent(f.shares.with_docstring.per_api), _percent(f.shares.with_docstring.by_calls),
        _percent(f.shares.params_documented.per_api), _percent(f.shares.params_documented.by_calls),
        _percent(f.shares.with_example.per_api), _percent(f.shares.with_example.by_calls), str(len(f.unresolved)),
    ) for f in coverage.frameworks]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    versions = dict(coverage.versions)
    for f in coverage.frameworks:
        lines += ["", f"{f.framework} {versions.get(f.framework, '')}".rstrip()
                  + f": the {top} most-used APIs without an example"]
        lines += [f"  {count:>5}  {name}" for name, count in f.missing_example[:top]] or ["  (none)"]
    return "\n".join(lines)
