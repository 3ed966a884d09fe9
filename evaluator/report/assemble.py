"""build_report: everything measured, turned into the one normalized Report. Pure: no I/O."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from evaluator import __version__
from evaluator.corpus import Corpus
from evaluator.frameworks import adapter_names, get_adapter
from evaluator.report.build import compare_speed, compare_static, compiled_speedups, report_order, variant_pairs
from evaluator.report.claims import evaluate_claims
from evaluator.report.model import REPORT_SCHEMA_VERSION, Report, StaticRecord
from evaluator.report.wording import comparison_sentence, fmt_ci, fmt_num

HEADLINE_METRICS = ("sloc", "cc_sum", "distinct_apis", "api_density")


def task_summaries(corpus: Corpus) -> list[dict[str, Any]]:
    return [{
        "task_id": t.task_id,
        "title": t.metadata.title if t.metadata else t.task_id,
        "category": t.metadata.category if t.metadata else None,
        "tags": list(t.metadata.tags) if t.metadata else [],
        "implementations": [i.key for i in t.implementations],
        "references": {k: list(v) for k, v in t.metadata.references.items()} if t.metadata else {},
    } for t in corpus.tasks]


def display_names() -> dict[str, str]:
    return {n: get_adapter(n).DISPLAY_NAME for n in adapter_names()}


def _threats(report_tasks: int, run_records: list[dict[str, Any]], static_only: bool) -> list[str]:
    threats = [
        f"The corpus has {report_tasks} tasks written by the easeval authors; they follow each framework's official "
        "guides (cited per task), but what counts as idiomatic is a judgement, and the task selection shapes every verdict.",
        "Static metrics measure the code a user writes, not the time it takes to learn or debug it; they are proxies for ease of use.",
        "Harness-only glue (loading shared initial weights) is excluded from static metrics; the excluded line counts are listed.",
        "Wilcoxon tests treat tasks as independent draws; tasks in one category are related, so p-values may be optimistic.",
        "Holm correction is applied within each metric family, not across families or claims.",
        "Timings on a shared or small machine are noisy; the harness keeps every sample and reports IQRs, "
        "but small differences (a few percent) should not be read as real.",
        "Small CPU sizes favour low per-call overhead over kernel speed; GPU timings use the larger declared sizes.",
        "Thread counts are set equal in every framework (intra-op threads), which may differ from each framework's default.",
    ]
    devices = {(r["framework"], r.get("device")) for r in run_records if r.get("status") == "ok"}
    if not static_only and ("tensorflow", "cuda") not in devices:
        threats.append("TensorFlow was not measured on a GPU in these results: its GPU path is correct by design and "
                       "tested on CPU only (the GPU machines available to easeval have no TensorFlow).")
    if static_only:
        threats.append("Execution was not run for this report: no correctness, speed or memory evidence.")
    return threats


def _headline(static, speed, run_records, names) -> list[str]:
    lines = [comparison_sentence(c, names) for c in static if c.metric.name in HEADLINE_METRICS]
    for s in speed:
        o = s.overall
        A, B = names.get(s.a_key, s.a_key), names.get(s.b_key, s.b_key)
        if o.ratio is not None:
            faster, factor = (A, 1 / o.ratio) if o.ratio < 1 else (B, o.ratio)
            lines.append(f"On {s.device} ({s.machine}, {s.setting}) {faster} is {factor:.2f}x faster in steady state: geometric-mean time "
                         f"ratio {A}/{B} {fmt_num(o.ratio)}, {fmt_ci(o.ci)}, {o.n} tasks.")
    if run_records:
        ok = sum(r["status"] == "ok" for r in run_records)
        lines.append(f"{ok} of {len(run_records)} measured implementations ran correctly against the NumPy reference.")
    return lines


def build_report(
    corpus: Corpus, static_records: list[StaticRecord], run_records: list[dict[str, Any]],
    environments: list[dict[str, Any]], *, command: str, corpus_revision: str, static_only: bool,
    problems: list[str] | None = None, generated_at: str | None = None,
) -> Report:
    """All comparisons, claims and tables for the given evidence."""
    names = display_names()
    frameworks = report_order(r.framework for r in static_records if r.variant is None and r.error is None)
    static, speed = [], []
    if len(frameworks) >= 2:
        a_key, b_key = frameworks[0], frameworks[1]
        static = compare_static(static_records, a_key, b_key)
        speed = compare_speed(run_records, a_key, b_key)
    variants = [c for primary, variant in variant_pairs(static_records) for c in compare_static(static_records, primary, variant)]
    compiled = compiled_speedups(run_records)
    tasks = task_summaries(corpus)
    claims = evaluate_claims(static=static, variants=variants, records=static_records, speed=speed, compiled=compiled,
                             environments=environments, tasks=tasks, names=names,
                             a_key=frameworks[0] if frameworks else "torch", b_key=frameworks[1] if len(frameworks) > 1 else "tensorflow")
    failures = [r for r in run_records if r["status"] != "ok"]
    failures += [{"task": r.task_id, "impl_key": r.impl_key, "framework": r.framework, "device": "static analysis",
                  "status": "error", "error": r.error} for r in static_records if r.error]
    return Report(
        schema_version=REPORT_SCHEMA_VERSION,
        generated_at=generated_at or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        easeval_version=__version__, command=command, corpus_root=str(corpus.root), corpus_revision=corpus_revision,
        static_only=static_only, frameworks=frameworks, display_names=names, tasks=tuple(tasks),
        static_records=tuple(static_records), run_records=tuple(run_records), environments=tuple(environments),
        static_comparisons=tuple(static), variant_comparisons=tuple(variants), speed=tuple(speed),
        compiled_speedups=tuple(compiled), claims=tuple(claims), headline=tuple(_headline(static, speed, run_records, names)),
        failures=tuple(failures), threats=tuple(_threats(len(tasks), run_records, static_only)), problems=tuple(problems or ()),
    )
