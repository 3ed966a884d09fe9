"""Two files side by side: every metric, their ratio, and the framework APIs only one of them uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluator.analysis.cache import DEFAULT_CACHE_DIR
from evaluator.analysis.corpus_analysis import AnalysisTarget, AnalyzedFile, aliases_near, analyze_targets
from evaluator.analysis.metric_rows import METRIC_NAMES, file_record, metric_values
from evaluator.base.text_table import format_table


@dataclass(frozen=True)
class MetricRow:
    metric: str
    a: int | float
    b: int | float

    @property
    def ratio(self) -> float | None:
        """B / A; None when A is 0."""
        return self.b / self.a if self.a else None


@dataclass(frozen=True)
class FileComparison:
    a: AnalyzedFile
    b: AnalyzedFile
    rows: tuple[MetricRow, ...]   # empty if either file could not be analysed
    only_a: tuple[str, ...]       # framework APIs used by A and not by B
    only_b: tuple[str, ...]

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(f"{f.target.path}: {f.analysis.error}" for f in (self.a, self.b) if f.analysis.error)


def compare_analyses(a: AnalyzedFile, b: AnalyzedFile) -> FileComparison:
    values_a, values_b = metric_values(a.analysis), metric_values(b.analysis)
    rows = () if values_a is None or values_b is None else tuple(
        MetricRow(name, values_a[name], values_b[name]) for name in METRIC_NAMES
    )
    apis_a = {name for name, _ in a.analysis.api.apis} if a.analysis.api else set()
    apis_b = {name for name, _ in b.analysis.api.apis} if b.analysis.api else set()
    return FileComparison(a, b, rows, tuple(sorted(apis_a - apis_b)), tuple(sorted(apis_b - apis_a)))


def compare_files(path_a: Path, path_b: Path, *, cache_dir: Path | None = DEFAULT_CACHE_DIR) -> FileComparison:
    """Analyse two files (through the cache) and compare them; an imported corpus's aliases apply."""
    aliases, _ = aliases_near([Path(path_a), Path(path_b)])
    result = analyze_targets([AnalysisTarget(Path(path_a)), AnalysisTarget(Path(path_b))], cache_dir=cache_dir,
                             aliases=aliases)
    return compare_analyses(*result.files)


def comparison_record(comparison: FileComparison) -> dict[str, Any]:
    return {
        "a": file_record(comparison.a),
        "b": file_record(comparison.b),
        "metrics": [{"metric": r.metric, "a": r.a, "b": r.b, "b_over_a": r.ratio} for r in comparison.rows],
        "apis_only_in_a": list(comparison.only_a),
        "apis_only_in_b": list(comparison.only_b),
    }


def comparison_table(comparison: FileComparison) -> list[str]:
    lines = [f"A: {comparison.a.target.path}", f"B: {comparison.b.target.path}", ""]
    lines += [f"error: {e}" for e in comparison.errors]
    if comparison.rows:
        rows = [[r.metric, _cell(r.a), _cell(r.b), "-" if r.ratio is None else f"{r.ratio:.2f}"] for r in comparison.rows]
        lines += format_table(rows, ["metric", "A", "B", "B/A"])
    for label, names in (("A", comparison.only_a), ("B", comparison.only_b)):
        lines += ["", f"APIs only in {label} ({len(names)}):"] + [f"  {name}" for name in names]
    return lines


def _cell(value: int | float) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)
