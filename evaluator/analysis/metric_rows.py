"""Analyses as plain records (JSON, CSV) and as a text table. Returns data and lines; prints nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

from evaluator.analysis.corpus_analysis import AnalyzedFile, CorpusAnalysis
from evaluator.analysis.analysis_types import ANALYSIS_VERSION, FileAnalysis
from evaluator.base.text_table import format_table
from evaluator.base.metric_registry import STATIC_NAMES, compute_static

# Changelog of the `easeval analyze --format json` document:
# 1: {"schema_version", "analysis_version", "framework_roots", "static_only", "files", "problems"}.
DOCUMENT_SCHEMA_VERSION = 1

METRIC_NAMES = STATIC_NAMES  # every static metric of the registry, in registry order


def metric_values(analysis: FileAnalysis) -> dict[str, int | float] | None:
    """Every static metric of one file by record key; None when the file could not be analysed."""
    if analysis.error is not None:
        return None
    return compute_static(analysis)


def file_record(item: AnalyzedFile) -> dict[str, Any]:
    """One JSON-ready record: where the file sits, its metrics, and the framework names it uses."""
    implementation, analysis = item.target.implementation, item.analysis
    api = analysis.api
    return {
        "path": str(item.target.path),
        "task_id": implementation.task_id if implementation else None,
        "implementation": implementation.key if implementation else None,
        "framework": implementation.framework if implementation else None,
        "variant": implementation.variant if implementation else None,
        "sha256": analysis.sha256,
        "glue_excluded_lines": analysis.glue_excluded_lines,
        "error": analysis.error,
        "metrics": metric_values(analysis),
        "apis": dict(api.apis) if api else {},
        "namespaces": list(api.namespaces) if api else [],
        "subclassed": list(api.subclassed) if api else [],
        "unresolved_method_calls": dict(api.unresolved_method_calls) if api else {},
    }


def analysis_document(result: CorpusAnalysis) -> dict[str, Any]:
    """The whole run as one JSON document."""
    return {
        "schema_version": DOCUMENT_SCHEMA_VERSION,
        "analysis_version": ANALYSIS_VERSION,
        "framework_roots": list(result.roots),
        "static_only": result.static_only,
        "files": [file_record(item) for item in result.files],
        "problems": list(result.problems),
    }


def analysis_csv(result: CorpusAnalysis) -> str:
    """One row per file; API and method names as `name:count` joined by spaces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["path", "task_id", "implementation", "sha256", "glue_excluded_lines", "error",
                     *METRIC_NAMES, "apis", "unresolved_method_calls"])
    for item in result.files:
        record = file_record(item)
        metrics = record["metrics"] or {}
        writer.writerow([
            record["path"], record["task_id"] or "", record["implementation"] or "", record["sha256"],
            record["glue_excluded_lines"], record["error"] or "",
            *(_number(metrics.get(name)) for name in METRIC_NAMES),
            " ".join(f"{k}:{v}" for k, v in record["apis"].items()),
            " ".join(f"{k}:{v}" for k, v in record["unresolved_method_calls"].items()),
        ])
    return buffer.getvalue()


_TABLE_COLUMNS = ("sloc", "tokens", "cc_sum", "cc_max", "maintainability_index", "max_nesting_depth",
                  "distinct_apis", "framework_calls", "framework_call_keywords", "concepts", "unresolved_method_calls")
_TABLE_HEADER = ("sloc", "tokens", "cc", "cc max", "MI", "nest", "apis", "calls", "kw", "concepts", "methods")


def analysis_table(result: CorpusAnalysis) -> list[str]:
    """The main metrics, one line per file, and a footer with the cache figures."""
    rows = []
    for item in result.files:
        values = metric_values(item.analysis)
        implementation = item.target.implementation
        name = f"{implementation.task_id}/{implementation.key}" if implementation else str(item.target.path)
        cells = [_number(values[c]) for c in _TABLE_COLUMNS] if values else ["-"] * len(_TABLE_COLUMNS)
        note = f"error: {item.analysis.error}" if item.analysis.error else (
            f"glue: {item.analysis.glue_excluded_lines} lines" if item.analysis.glue_excluded_lines else "")
        rows.append([name, *cells, note])
    errors = sum(1 for item in result.files if item.analysis.error)
    footer = (f"{len(result.files)} files, {errors} with errors; {result.analysed} analysed, "
              f"{result.cache_hits} from cache")
    return format_table(rows, ["file", *_TABLE_HEADER, "notes"]) + ["", footer]


def _number(value: int | float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f}" if isinstance(value, float) else str(value)
