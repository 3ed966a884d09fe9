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
from evaluator.report import report_memo
from evaluator.report.report_options import ReportOptions
from evaluator.runner.disk import ReportNotSaved, is_disk_full

@dataclass
class ReportOutcome:
    report: Report
    files: dict[str, Path]
    # stage -> wall seconds; "first report": from the start until the first report was on disk;
    # "statistics" and "rendering" summed over every time the report was written
    seconds: dict[str, float] = field(default_factory=dict)
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
    """Everything `easeval report` does. Raises only when no report can be written.

    The report is written as soon as the static verdicts are known, before the first new measurement
    (sections still being measured say so), again after the execution stage if it measured anything,
    and a last time at the end; each write replaces the four files atomically. Ctrl-C writes the report
    of what finished (every finished measurement is kept in the results folder) and raises
    KeyboardInterrupt; the next run goes on from there.
    """
    return _ReportJob(options, on_progress, on_stage or (lambda _: None)).run()


STAGES = ("execution", "debugging", "documentation")   # the stages after static analysis, in order


class _ReportJob:
    """One `easeval report`: its stages, and the evidence gathered so far, published after each."""

    def __init__(self, options: ReportOptions, on_progress, on_stage) -> None:
        self.options, self.on_progress, self.on_stage = options, on_progress, on_stage
        self.current = ""
        self.seconds: dict[str, float] = {}
        self.start = time.perf_counter()
        self.run_records: list[Measurement] = []
        self.environments: list[RunEnvironment] = []
        self.summary = self.debug_run = self.documentation = self.revision = None
        self.files: dict[str, Path] = {}
        self.report: Report | None = None

    def stage(self, name: str) -> None:
        self.current = name
        self.on_stage(name)

    def run(self) -> ReportOutcome:
        options = self.options
        self.corpus = corpus = discover(options.tasks_dir)
        self.problems = [str(p) for p in corpus.all_problems]
        if not corpus.tasks:
            raise ValueError(f"no tasks found in {options.tasks_dir}" + (f" ({self.problems[0]})" if self.problems else ""))

        self.stage("static analysis")
        self.external = external_corpora(options)  # first: a bad --corpus fails before any long work
        self.records, analysis_problems = static_records(options.tasks_dir, options.cache_dir)
        self.problems += analysis_problems
        self.scope = claim_scope(corpus, options.protocol)
        self.seconds["static analysis"] = time.perf_counter() - self.start

        self.static_only = options.static_only or corpus.static_only
        self.pending = [s for s, wanted in zip(STAGES, (True, options.debug, options.docs)) if wanted and not self.static_only]
        try:
            if "execution" in self.pending:
                self._execute()
            if "debugging" in self.pending:
                self._debug()
            if "documentation" in self.pending:
                self._document()
        except KeyboardInterrupt:
            self.publish(interrupted=True)  # what finished, marked; the measurements are on disk already
            raise
        self.publish()
        self.seconds["total"] = time.perf_counter() - self.start
        return ReportOutcome(self.report, self.files, self.seconds, self.summary, self.debug_run)

    def _execute(self) -> None:
        from evaluator.results import ResultSet, corpus_code_hashes
        from evaluator.runner.execute import run_corpus

        options = self.options
        self.stage("execution")
        t = time.perf_counter()
        # One scan of the results folder and one pass of code hashes serve the runner's cache and the
        # report's evidence; the environment (git, nvidia-smi) is collected once, by the runner.
        self.result_set = ResultSet.load(options.results_dir)
        self.hashes = corpus_code_hashes(self.corpus)
        self._collect_measurements()
        remeasure = None
        if options.remeasure_disturbed:
            from evaluator.claims.disturbed_timings import is_disturbed as remeasure
        summary = run_corpus(self.corpus, device=options.device, threads=options.threads, timeout=options.timeout,
                             results_dir=options.results_dir, force=options.force, on_progress=self.on_progress,
                             result_set=self.result_set, code_hashes=self.hashes, remeasure=remeasure,
                             on_start=lambda _pending: self.publish(first=True))
        self.summary = summary
        self.problems += list(summary.problems)
        self.seconds["execution"] = time.perf_counter() - t
        self._collect_measurements()
        self.revision = summary.environment.corpus if summary.environment else None
        if summary.interrupted:
            raise KeyboardInterrupt
        self.pending.remove("execution")
        if summary.cached < len(summary.records) and self.pending:
            self.publish()  # the timing verdicts, while the planted bugs run

    def _collect_measurements(self) -> None:
        records, used_files = self.result_set.current(set(self.hashes.values()))
        self.run_records, self.environments = records, [environment_row(f) for f in used_files]

    def _debug(self) -> None:
        from evaluator.debugging.mutant_runs import DebugOptions, run_debug

        # Not a timing measurement: the mutants run on every core, after the timings are done.
        self.stage("debugging")
        t = time.perf_counter()
        self.debug_run = run_debug(self.corpus, results_dir=self.options.results_dir, on_progress=self.on_progress,
                                   options=DebugOptions(aids=False, threads=self.options.threads, force=self.options.force,
                                                       comparisons=self.options.debug_comparisons))
        self.problems += [p for p in self.debug_run.problems if p not in self.problems]
        self.seconds["debugging"] = time.perf_counter() - t
        self.pending.remove("debugging")

    def _document(self) -> None:
        from evaluator.apidocs.docs_measure import measure_docs

        # Not the task code: each used API name is resolved in a worker that imports only its framework;
        # cached per framework version, so a second report pays nothing.
        self.stage("documentation")
        t = time.perf_counter()
        self.documentation = measure_docs(self.options.tasks_dir)
        self.problems += [p for p in self.documentation.problems if p not in self.problems]
        self.seconds["documentation"] = time.perf_counter() - t
        self.pending.remove("documentation")

    def publish(self, *, first: bool = False, interrupted: bool = False) -> None:
        """Statistics on the evidence so far, and the four files rewritten (`pending` stages say so)."""
        from evaluator.base.environment import corpus_revision

        options = self.options
        self.stage("statistics")
        t = time.perf_counter()
        revision = self.revision or corpus_revision(options.tasks_dir)
        revision_text = (revision["commit"] or "not in git")[:12] + (" (uncommitted changes)" if revision.get("dirty") else "")
        # easeval debug's records, if any; planned once: the debugging stage's plan when it ran
        plan = self.debug_run.plan if self.debug_run is not None else None
        debug_summary = load_summary(self.corpus, options.results_dir, plan=plan)
        protocol, task_set, reuse, families = self.scope
        pending = tuple(f"{s} (interrupted)" if interrupted and i == 0 else s for i, s in enumerate(self.pending))
        digest = report_memo.inputs_digest((self.corpus, self.records, self.run_records, self.environments,
                                            options.command(), revision_text, self.static_only, self.problems,
                                            self.external, debug_summary, self.scope, self.documentation, pending))
        remembered = report_memo.recall(options.output_dir, digest)
        if remembered is not None:  # nothing changed since the report on disk was written: it stands
            self.report = remembered
            self.files = {name: options.output_dir / name for name in report_memo.REPORT_FILES}
            self._add("statistics", time.perf_counter() - t)
        else:
            report = build_report(self.corpus, self.records, self.run_records, self.environments, command=options.command(),
                                  corpus_revision=revision_text, static_only=self.static_only, problems=self.problems,
                                  external=self.external, debugging=debugging_evidence(debug_summary), protocol=protocol,
                                  task_set=task_set, families=families, template_reuse=reuse,
                                  documentation=self.documentation, pending=pending)
            self.report = with_debugging(report, debug_summary)  # the Debugging section; claim 8 is decided by the protocol
            self._add("statistics", time.perf_counter() - t)
            self.stage("rendering")
            t = time.perf_counter()
            self.files = write_report(self.report, options.output_dir)
            report_memo.remember(options.output_dir, digest, self.report)
            self._add("rendering", time.perf_counter() - t)
        if first:
            self.seconds["first report"] = time.perf_counter() - self.start
            self.stage("execution")  # the display goes back to the stage that asked for the report

    def _add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


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

