"""`easeval report`: run what is missing (static analysis, then execution, both cached), compute the
statistics and write report.md, report.html, results.json and metrics.csv. The only I/O of the report."""

from __future__ import annotations

import shlex
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from evaluator.corpus import Corpus, discover
from evaluator.report.assemble import build_report
from evaluator.report.model import Report, StaticRecord
from evaluator.runner.disk import ReportNotSaved, is_disk_full
from evaluator.runner.protocol import write_text_atomic

DEFAULT_OUTPUT = Path("reports/latest")


@dataclass(frozen=True)
class ReportOptions:
    tasks_dir: Path = Path("tasks")
    results_dir: Path = Path("results")
    output_dir: Path = DEFAULT_OUTPUT
    device: str = "cpu"
    static_only: bool = False
    threads: int = 1
    timeout: float = 300.0
    force: bool = False
    cache_dir: Path | None = None      # analysis cache; None = the analysis default

    def command(self) -> str:
        """The exact command that reproduces this report."""
        parts = ["easeval", "report", "--tasks", str(self.tasks_dir), "--results", str(self.results_dir),
                 "--output", str(self.output_dir), "--device", self.device, "--threads", str(self.threads)]
        if self.static_only:
            parts.append("--static-only")
        return shlex.join(parts)


@dataclass
class ReportOutcome:
    report: Report
    files: dict[str, Path]
    seconds: dict[str, float] = field(default_factory=dict)   # stage -> wall seconds
    run_summary: Any = None


def static_records(corpus_root: Path, cache_dir: Path | None) -> tuple[list[StaticRecord], list[str]]:
    """Static metrics of every implementation (cached by content hash), as report records."""
    from evaluator.analysis.corpus_analysis import analyze
    from evaluator.analysis.records import file_record

    kwargs = {} if cache_dir is None else {"cache_dir": cache_dir}
    result = analyze((), corpus_root, **kwargs)
    records = []
    for item in result.files:
        rec = file_record(item)
        metrics = dict(rec["metrics"] or {})
        if metrics:
            metrics["api_density"] = metrics["api_references"] / metrics["lloc"] if metrics.get("lloc") else 0.0
        records.append(StaticRecord(task_id=rec["task_id"], impl_key=rec["implementation"], framework=rec["framework"],
                                    variant=rec["variant"], path=rec["path"], metrics=metrics, apis=dict(rec["apis"]),
                                    glue_lines_excluded=rec["glue_excluded_lines"], error=rec["error"]))
    return records, list(result.problems)


def current_run_records(corpus: Corpus, results_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Records of every result file in `results_dir` that measured the corpus as it is now (same code
    hash; stale ones are ignored, as asv does), merged to the newest per measurement key across
    files (`results.latest_records`), the environments they came from, and file problems."""
    from evaluator.results import code_hash, latest_records, scan_results

    scan = scan_results(results_dir)
    problems = [f"{p.path}: {p.message}" for p in scan.problems]
    wanted = {code_hash(task, impl, size) for task in corpus.tasks if task.metadata is not None
              for impl in task.implementations for size in task.metadata.sizes}
    used_files = []
    for result_file in scan.files:
        used = [r for r in result_file.records if r.get("code_hash") in wanted]
        if used:
            used_files.append(replace(result_file, records=used))
    return latest_records(used_files), [environment_row(f) for f in used_files], problems


def environment_row(result_file: Any) -> dict[str, Any]:
    """The environment of one result file in the report's terms."""
    env, run = result_file.environment, result_file.run
    frameworks = env.get("frameworks") or {}
    gpus = env.get("gpus") or []
    return {
        "machine": env.get("machine", "?"), "cpu": env.get("cpu_model", "?"),
        "gpu": ", ".join(g.get("name", "?") for g in gpus) if gpus else None,
        "python": env.get("python", "?"), "framework_versions": {k: v.get("version") for k, v in frameworks.items()},
        "import_seconds": {k: v["import_seconds"] for k, v in frameworks.items() if v.get("import_seconds") is not None},
        "threads": (run.get("options") or {}).get("threads", "?"), "easeval_version": env.get("easeval", "?"),
        "corpus_revision": (env.get("corpus") or {}).get("commit") or "not in git",
        "result_file": str(result_file.path),
    }


def make_report(options: ReportOptions, on_progress: Callable[[Any], None] | None = None,
                on_stage: Callable[[str], None] | None = None) -> ReportOutcome:
    """Everything `easeval report` does. Raises only when no report can be written."""
    from evaluator.environment import corpus_revision

    stage = on_stage or (lambda _: None)
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    corpus = discover(options.tasks_dir)
    problems = [str(p) for p in corpus.all_problems]
    if not corpus.tasks:
        raise ValueError(f"no tasks found in {options.tasks_dir}" + (f" ({problems[0]})" if problems else ""))

    stage("static analysis")
    records, analysis_problems = static_records(options.tasks_dir, options.cache_dir)
    problems += analysis_problems
    seconds["static analysis"] = time.perf_counter() - start

    static_only = options.static_only or corpus.static_only
    run_records: list[dict[str, Any]] = []
    environments: list[dict[str, Any]] = []
    summary = None
    if not static_only:
        from evaluator.runner.execute import run_corpus

        stage("execution")
        t = time.perf_counter()
        summary = run_corpus(corpus, device=options.device, threads=options.threads, timeout=options.timeout,
                             results_dir=options.results_dir, force=options.force, on_progress=on_progress)
        problems += list(summary.problems)
        seconds["execution"] = time.perf_counter() - t
        run_records, environments, file_problems = current_run_records(corpus, options.results_dir)
        problems += file_problems

    stage("statistics")
    t = time.perf_counter()
    revision = corpus_revision(options.tasks_dir)
    revision_text = (revision["commit"] or "not in git")[:12] + (" (uncommitted changes)" if revision.get("dirty") else "")
    report = build_report(corpus, records, run_records, environments, command=options.command(),
                          corpus_revision=revision_text, static_only=static_only, problems=problems)
    seconds["statistics"] = time.perf_counter() - t

    stage("rendering")
    t = time.perf_counter()
    files = write_report(report, options.output_dir)
    seconds["rendering"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - start
    return ReportOutcome(report, files, seconds, summary)


def write_report(report: Report, output_dir: Path) -> dict[str, Path]:
    """The four report files, each written atomically; raises ReportNotSaved when the disk is full."""
    from evaluator.report.html import render_html
    from evaluator.report.markdown import render_markdown
    from evaluator.report.tables import render_csv, render_json

    contents = {"report.md": "\n".join(render_markdown(report)), "report.html": render_html(report),
                "results.json": render_json(report), "metrics.csv": render_csv(report)}
    files = {}
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        for filename, text in contents.items():
            path = output_dir / filename
            write_text_atomic(path, text)
            files[filename] = path
    except OSError as exc:  # a full disk: one line saying which files are new and which are the old ones
        if not is_disk_full(exc):
            raise
        raise ReportNotSaved(output_dir, list(files), [f for f in contents if f not in files], exc) from exc
    return files

