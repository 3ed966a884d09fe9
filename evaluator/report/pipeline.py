"""`easeval report`: run what is missing (static analysis, then execution, both cached), compute the
statistics and write report.md, report.html, results.json and metrics.csv. The only I/O of the report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from evaluator.corpus.discovery import discover
from evaluator.base.fileio import write_text_atomic
from evaluator.debugging.debug_summary import load_summary
from evaluator.claims.report_builder import build_report
from evaluator.claims.report_model import MAIN_CORPUS, Report, RunEnvironment, StaticRecord
from evaluator.claims.replication import ExternalCorpus
from evaluator.claims.debugging_claim import with_debugging
from evaluator.results import Measurement, ResultFile
from evaluator.analysis.template_reuse import TemplateReuse, families as family_map, template_reuse
from evaluator.claims.claim_protocol import INTERVAL, Protocol, load_protocol_version
from evaluator.claims.frozen_set import corpus_hashes, load_frozen, task_set
from evaluator.claims.report_model import TaskSet
from evaluator.corpus.discovery import Corpus
from evaluator.report.report_options import ReportOptions
from evaluator.runner.disk import ReportNotSaved, is_disk_full

@dataclass
class ReportOutcome:
    report: Report
    files: dict[str, Path]
    seconds: dict[str, float] = field(default_factory=dict)   # stage -> wall seconds
    run_summary: Any = None
    debug_run: Any = None              # the DebugRun of the debugging stage, when it ran


def static_records(corpus_root: Path, cache_dir: Path | None,
                   corpus_name: str = MAIN_CORPUS) -> tuple[list[StaticRecord], list[str]]:
    """Static metrics of every implementation (cached by content hash), as report records; a corpus.toml's
    aliases are resolved."""
    from evaluator.analysis.corpus_analysis import analyze
    from evaluator.analysis.metric_rows import metric_values

    kwargs = {} if cache_dir is None else {"cache_dir": cache_dir}
    result = analyze((), corpus_root, **kwargs)
    records = []
    for item in result.files:
        impl, analysis = item.target.implementation, item.analysis
        records.append(StaticRecord(
            task_id=impl.task_id if impl else None, impl_key=impl.key if impl else None,
            framework=impl.framework if impl else None, variant=impl.variant if impl else None,
            path=str(item.target.path), metrics=dict(metric_values(analysis) or {}),
            apis=dict(analysis.api.apis) if analysis.api else {}, glue_lines_excluded=analysis.glue_excluded_lines,
            error=analysis.error, corpus=corpus_name,
            lookalikes=dict(analysis.api.lookalikes) if analysis.api else {}))
    return records, list(result.problems)


def external_corpora(options: ReportOptions) -> list[ExternalCorpus]:
    """Each --corpus, analysed only (never run); ValueError when one names no folder of pairs."""
    seen: dict[str, Path] = {}
    corpora = []
    for name, folder in options.corpora:
        if name in seen:
            raise ValueError(f"--corpus {name}={folder}: the name {name!r} is given twice")
        seen[name] = folder
        corpus = discover(folder)
        if not folder.is_dir():
            raise ValueError(f"--corpus {name}={folder}: no such folder")
        if not corpus.tasks:
            raise ValueError(f"--corpus {name}={folder}: no pairs found (DIR/<id>/<framework>_impl.py)")
        records, problems = static_records(folder, options.cache_dir, name)
        corpora.append(ExternalCorpus(name, str(folder), tuple(records), corpus.manifest,
                                      tuple(f"{name}: {p}" for p in problems)))
    return corpora


def environment_row(result_file: ResultFile) -> RunEnvironment:
    """The environment of one result file in the report's terms."""
    env = result_file.environment
    return RunEnvironment(
        machine=env.machine, cpu=env.cpu_model or "?", gpu=", ".join(g.get("name", "?") for g in env.gpus) or None,
        python=env.python or "?", framework_versions={k: v.version for k, v in env.frameworks.items()},
        import_seconds={k: v.import_seconds for k, v in env.frameworks.items() if v.import_seconds is not None},
        threads=(result_file.run.get("options") or {}).get("threads", "?"), easeval_version=env.easeval or "?",
        corpus_revision=env.corpus.get("commit") or "not in git", result_file=str(result_file.path),
    )


def debugging_evidence(summary) -> list:
    """The planted-bug pairs claim 8 is decided on (debug_summary.PairOutcome; the protocol selects)."""
    return list(summary.pairs) if summary is not None else []


def make_report(options: ReportOptions, on_progress: Callable[[Any], None] | None = None,
                on_stage: Callable[[str], None] | None = None) -> ReportOutcome:
    """Everything `easeval report` does. Raises only when no report can be written."""
    from evaluator.base.environment import corpus_revision

    stage = on_stage or (lambda _: None)
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    corpus = discover(options.tasks_dir)
    problems = [str(p) for p in corpus.all_problems]
    if not corpus.tasks:
        raise ValueError(f"no tasks found in {options.tasks_dir}" + (f" ({problems[0]})" if problems else ""))

    stage("static analysis")
    external = external_corpora(options)  # first: a bad --corpus fails before any long work
    records, analysis_problems = static_records(options.tasks_dir, options.cache_dir)
    problems += analysis_problems
    seconds["static analysis"] = time.perf_counter() - start

    static_only = options.static_only or corpus.static_only
    run_records: list[Measurement] = []
    environments: list[RunEnvironment] = []
    summary = None
    revision = None
    if not static_only:
        from evaluator.results import ResultSet, corpus_code_hashes
        from evaluator.runner.execute import run_corpus

        stage("execution")
        t = time.perf_counter()
        # One scan of the results folder and one pass of code hashes serve the runner's cache and the
        # report's evidence; the environment (git, nvidia-smi) is collected once, by the runner.
        result_set = ResultSet.load(options.results_dir)
        hashes = corpus_code_hashes(corpus)
        summary = run_corpus(corpus, device=options.device, threads=options.threads, timeout=options.timeout,
                             results_dir=options.results_dir, force=options.force, on_progress=on_progress,
                             result_set=result_set, code_hashes=hashes)
        problems += list(summary.problems)
        seconds["execution"] = time.perf_counter() - t
        run_records, used_files = result_set.current(set(hashes.values()))
        environments = [environment_row(f) for f in used_files]
        revision = summary.environment.corpus if summary.environment else None

    debug_run = None
    if not static_only and options.debug:
        from evaluator.debugging.mutant_runs import DebugOptions, run_debug

        # Not a timing measurement: the mutants run on every core, after the timings are done.
        stage("debugging")
        t = time.perf_counter()
        debug_run = run_debug(corpus, results_dir=options.results_dir, on_progress=on_progress,
                              options=DebugOptions(aids=False, threads=options.threads, force=options.force))
        problems += [p for p in debug_run.problems if p not in problems]
        seconds["debugging"] = time.perf_counter() - t

    documentation = None
    if not static_only and options.docs:
        from evaluator.apidocs.docs_measure import measure_docs

        # Not the task code: each used API name is resolved in a worker that imports only its framework;
        # cached per framework version, so a second report pays nothing.
        stage("documentation")
        t = time.perf_counter()
        documentation = measure_docs(options.tasks_dir)
        problems += [p for p in documentation.problems if p not in problems]
        seconds["documentation"] = time.perf_counter() - t

    stage("statistics")
    t = time.perf_counter()
    revision = revision or corpus_revision(options.tasks_dir)
    revision_text = (revision["commit"] or "not in git")[:12] + (" (uncommitted changes)" if revision.get("dirty") else "")
    # easeval debug's records, if any; planned once: the debugging stage's plan when it ran
    debug_summary = load_summary(corpus, options.results_dir, plan=debug_run.plan if debug_run is not None else None)
    protocol, task_set, reuse, families = claim_scope(corpus, options.protocol)
    report = build_report(corpus, records, run_records, environments, command=options.command(),
                          corpus_revision=revision_text, static_only=static_only, problems=problems, external=external,
                          debugging=debugging_evidence(debug_summary), protocol=protocol, task_set=task_set,
                          families=families, template_reuse=reuse, documentation=documentation)
    report = with_debugging(report, debug_summary)  # the Debugging section; claim 8 is decided by the protocol
    seconds["statistics"] = time.perf_counter() - t

    stage("rendering")
    t = time.perf_counter()
    files = write_report(report, options.output_dir)
    seconds["rendering"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - start
    return ReportOutcome(report, files, seconds, summary, debug_run)


# Pairs sharing at least this share of lines are listed as template reuse in the report (families use the
# protocol's own threshold).
REUSE_LISTED = 0.3


def claim_scope(corpus: Corpus, version: str) -> tuple[Protocol, TaskSet | None, list[TemplateReuse], dict[str, str] | None]:
    """The protocol version, and for version 2 the tasks its frozen set confirms, the template reuse
    between same-framework files and the families it makes (reads the files; runs nothing)."""
    protocol = load_protocol_version(version)
    if protocol.decision != INTERVAL:
        return protocol, None, [], None
    files = [(t.task_id, i.framework, i.path) for t in corpus.tasks for i in t.implementations if i.variant is None]
    reuse = template_reuse(files, REUSE_LISTED)
    families = None
    if protocol.family_similarity is not None:
        families = family_map([t.task_id for t in corpus.tasks], reuse, protocol.family_similarity)
    return protocol, task_set(corpus_hashes(corpus), load_frozen(), protocol.version), reuse, families


def write_report(report: Report, output_dir: Path) -> dict[str, Path]:
    """The four report files, each written atomically; raises ReportNotSaved when the disk is full."""
    from evaluator.report.html import render_html
    from evaluator.report.markdown import render_markdown
    from evaluator.report.exports import render_csv, render_json

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

