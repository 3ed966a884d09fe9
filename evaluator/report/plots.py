"""Plots for the HTML report, as self-contained SVG text (matplotlib's object API: no pyplot state)."""

from __future__ import annotations

import io
import math

from evaluator.report.model import MetricComparison, Report, SpeedComparison
from evaluator.report.tables import name

PAIRED_METRICS = ("sloc", "cc_sum", "distinct_apis", "api_density")


def _svg(figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "easeval", "font.size": 9}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and DOCTYPE: the SVG is inlined in HTML


def paired_plot(report: Report, c: MetricComparison) -> str:
    """One point per task: a's value against b's, with the line of equality."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(3.6, 3.4))
    ax = figure.add_subplot()
    ax.scatter(c.b_values, c.a_values, s=18, color="#1f77b4", alpha=0.8)
    values = list(c.a_values) + list(c.b_values)
    low, high = min(values), max(values)
    pad = (high - low) * 0.05 or 1.0
    ax.plot([low - pad, high + pad], [low - pad, high + pad], color="#888", linewidth=1, linestyle="--")
    ax.set_xlabel(f"{name(report, c.b_key)}")
    ax.set_ylabel(f"{name(report, c.a_key)}")
    ax.set_title(c.metric.label, fontsize=9)
    return _svg(figure)


def forest_plot(report: Report, comparisons: list[MetricComparison] | tuple[MetricComparison, ...], title: str) -> str | None:
    """Geometric-mean ratio and 95% CI per metric on a log axis; 1 means no difference."""
    from matplotlib.figure import Figure

    rows = [c for c in comparisons if c.result.ratio is not None]
    if not rows:
        return None
    figure = Figure(figsize=(6.4, 0.32 * len(rows) + 1.0))
    ax = figure.add_subplot()
    for i, c in enumerate(rows):
        y = len(rows) - 1 - i
        ci = c.result.ratio_ci
        if ci is not None:
            ax.plot(ci, [y, y], color="#444", linewidth=1.5)
        significant = c.result.verdict in ("a_higher", "b_higher")
        ax.plot([c.result.ratio], [y], marker="D", color="#d62728" if significant else "#1f77b4", markersize=5)
    ax.axvline(1.0, color="#888", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)), [f"{c.metric.label} ({name(report, c.a_key)}/{name(report, c.b_key)})" for c in reversed(rows)])
    ax.set_xlabel("ratio (log scale); red: significant after Holm")
    ax.set_title(title, fontsize=9)
    return _svg(figure)


def timing_plot(report: Report, s: SpeedComparison) -> str | None:
    """Per task, both sides: one small dot per process median and a diamond at their median, log time axis,
    so the spread between independent processes is visible."""
    from matplotlib.figure import Figure

    if not s.tasks:
        return None
    values = [v for t in s.tasks for v in (t.a_median_s, t.b_median_s, *t.a_process_medians_s, *t.b_process_medians_s)]
    if not all(math.isfinite(v) and v > 0 for v in values):
        return None
    figure = Figure(figsize=(6.4, 0.36 * len(s.tasks) + 1.2))
    ax = figure.add_subplot()
    for offset, (key, color) in enumerate(((s.a_key, "#1f77b4"), (s.b_key, "#ff7f0e"))):
        shift = 0.15 if offset == 0 else -0.15
        for i, t in enumerate(s.tasks):
            y = len(s.tasks) - 1 - i + shift
            processes = t.a_process_medians_s if offset == 0 else t.b_process_medians_s
            ax.plot(processes, [y] * len(processes), linestyle="none", marker="o", markersize=2.5, color=color, alpha=0.6)
        ax.plot([t.a_median_s if offset == 0 else t.b_median_s for t in s.tasks],
                [len(s.tasks) - 1 - i + shift for i in range(len(s.tasks))], linestyle="none", marker="D", markersize=4,
                color=color, label=name(report, key))
    ax.set_xscale("log")
    ax.set_yticks(range(len(s.tasks)), [t.task_id for t in reversed(s.tasks)])
    ax.set_xlabel("seconds per call (dots: one per process; diamond: their median)")
    ax.set_title(f"Steady-state time on {s.device} at the {s.size} size ({s.machine}, {s.setting})", fontsize=9)
    ax.legend(loc="best", fontsize=8)
    return _svg(figure)


def report_plots(report: Report) -> dict[str, list[str]]:
    """All plots, grouped by the report section they belong to."""
    paired = [paired_plot(report, c) for c in report.static_comparisons if c.metric.name in PAIRED_METRICS]
    # A forest plot only where a pair has enough tasks to decide anything; the rest are tables.
    per_pair = [forest_plot(report, [c for c in report.static_comparisons if (c.a_key, c.b_key) == (p.a_key, p.b_key)],
                            f"{name(report, p.a_key)} vs {name(report, p.b_key)}: primary implementations")
                for p in report.pairs if p.decidable]
    forest = [p for p in (*per_pair, forest_plot(report, report.variant_comparisons, "Variants against their primary")) if p]
    timing = [p for p in (timing_plot(report, s) for s in report.speed) if p]
    return {"paired": paired, "forest": forest, "timing": timing}
