"""Plots for the HTML report, as self-contained SVG text (matplotlib's object API: no pyplot state)."""

from __future__ import annotations

import math

from evaluator.report.blocks import forest_range
from evaluator.report.svg import svg_text
from evaluator.claims.report_model import MetricComparison, Report, SpeedComparison
from evaluator.report.tables import name
from evaluator.claims.number_words import log_verdict

PAIRED_METRICS = ("sloc", "cc_sum", "distinct_apis", "api_density")


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
    return svg_text(figure)


def forest_plot(report: Report, comparisons: list[MetricComparison] | tuple[MetricComparison, ...], title: str) -> str | None:
    """Geometric-mean ratio and 95% CI per metric on a log axis; 1 means no difference."""
    from matplotlib.figure import Figure

    rows = [c for c in comparisons if c.log is not None and c.log.ratio is not None]
    if not rows:
        return None
    figure = Figure(figsize=(6.4, 0.32 * len(rows) + 1.0))
    ax = figure.add_subplot()
    for i, c in enumerate(rows):
        y = len(rows) - 1 - i
        ci = c.log.ci
        if ci is not None:
            ax.plot(ci, [y, y], color="#444", linewidth=1.5)
        significant = log_verdict(c) in ("a_higher", "b_higher")
        ax.plot([c.log.ratio], [y], marker="D", color="#d62728" if significant else "#1f77b4", markersize=5)
    ax.axvline(1.0, color="#888", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    values = [v for c in rows for v in (c.log.ratio, *(c.log.ci or ()))]
    _plain_ticks(ax, min(values) / 1.05, max(values) * 1.05)
    ax.set_yticks(range(len(rows)), [f"{c.metric.label} ({name(report, c.a_key)}/{name(report, c.b_key)})" for c in reversed(rows)])
    ax.set_xlabel("ratio, Hodges-Lehmann of log ratios, exact 95% CI (log scale); red: significant after Holm (exploratory)")
    ax.set_title(title, fontsize=9)
    return svg_text(figure)


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
    return svg_text(figure)


def replication_plot(report: Report, metric) -> str | None:
    """One confirmatory metric (claims/replication.py MetricReplication): ratio and 95% CI, one row per corpus.
    A corpus without a ratio (a zero on some pair) keeps its row, with the reason written in it."""
    from matplotlib.figure import Figure

    rows = [o for o in metric.outcomes if o.n]
    if not any(o.ratio is not None for o in rows):
        return None
    replication = report.replication
    figure = Figure(figsize=(5.6, 0.36 * len(rows) + 1.0))
    ax = figure.add_subplot()
    for i, o in enumerate(rows):
        y = len(rows) - 1 - i
        if o.ratio is None:
            ax.text(1.0, y, f"  no ratio: {o.reason or 'undefined'}", va="center", fontsize=6.5, color="#666")
            continue
        if o.ci is not None:
            ax.plot(o.ci, [y, y], color="#444", linewidth=1.5)
        ax.plot([o.ratio], [y], marker="D", color="#d62728" if o.direction else "#1f77b4", markersize=5)
    ax.axvline(1.0, color="#888", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    ends = [1.0] + [v for o in rows if o.ratio is not None for v in (o.ratio, *(o.ci or ()))]
    ax.set_xlim(min(ends) / 1.15, max(ends) * 1.15)
    ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 1.25, 1.6, 2.0, 2.5, 3.2, 4.0, 5.0, 6.3, 8.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.3g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_yticks(range(len(rows)), [f"{o.corpus} ({o.n} pairs)" for o in reversed(rows)])
    ax.set_xlabel(f"ratio {name(report, replication.a_key)}/{name(report, replication.b_key)} (log); red: significant after Holm")
    ax.set_title(metric.label + (" (contested)" if metric.contested else ""), fontsize=9)
    return svg_text(figure)


def report_plots(report: Report) -> dict[str, list[str]]:
    """All plots, grouped by the report section they belong to."""
    paired = [paired_plot(report, c) for c in report.static_comparisons if c.metric.name in PAIRED_METRICS]
    # A forest plot only where a pair has enough tasks to decide anything; the rest are tables.
    per_pair = [forest_plot(report, [c for c in report.static_comparisons if (c.a_key, c.b_key) == (p.a_key, p.b_key)],
                            f"{name(report, p.a_key)} vs {name(report, p.b_key)}: primary implementations")
                for p in report.pairs if p.decidable]
    # Variants present in one or two tasks can never be decided: they stay in the table, out of the plot.
    decidable = [c for c in report.variant_comparisons
                 if c.log is not None and c.log.min_attainable_p_holm is not None and c.log.min_attainable_p_holm <= 0.05]
    forest = [p for p in (*per_pair, forest_plot(report, decidable, "Variants against their primary (decidable ones)")) if p]
    timing = [p for p in (timing_plot(report, s) for s in report.speed) if p]
    replication = [p for p in (replication_plot(report, m) for m in report.replication.metrics) if p] \
        if report.replication is not None else []
    from evaluator.report.debugging_section import debugging_plots

    return {"paired": paired, "forest": forest, "timing": timing, "replication": replication,
            "debugging": debugging_plots(report)}


def _plain_ticks(ax, low: float, high: float) -> None:
    """Round ratios as tick labels on a log axis (0.8, 1, 1.25 rather than 8 x 10^-1)."""
    ax.set_xlim(low, high)
    ticks = [t for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.8, 1.0, 1.25, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)
             if low <= t <= high]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()


def forest_svg(forest) -> str:
    """A layout.Forest as SVG: per row the band 1/delta..delta shaded, the thin and thick intervals,
    the estimate as a diamond, and the row's note on the right."""
    from matplotlib.figure import Figure

    rows = forest.rows
    low, high = forest_range(rows)
    figure = Figure(figsize=(9.0, 0.34 * len(rows) + 0.9))
    ax = figure.add_subplot()
    for i, r in enumerate(rows):
        y = len(rows) - 1 - i
        ax.fill_between([1 / r.delta, r.delta], y - 0.4, y + 0.4, color="#e8e8e8", linewidth=0)
        if r.thin:
            ax.plot(r.thin, [y, y], color="#444", linewidth=1.2)
        if r.thick:
            ax.plot(r.thick, [y, y], color="#444", linewidth=4, solid_capstyle="butt")
        if r.ratio:
            ax.plot([r.ratio], [y], marker="D", color="#d62728", markersize=6)
        ends = [*(r.thin or ()), *(r.thick or ())]
        if ends and min(ends) < low:    # the interval goes on past the axis: say so
            ax.plot([low], [y], marker="<", color="#444", markersize=6, clip_on=False)
        if ends and max(ends) > high:
            ax.plot([high], [y], marker=">", color="#444", markersize=6, clip_on=False)
        ax.annotate(r.note, xy=(1.01, y), xycoords=("axes fraction", "data"), va="center", fontsize=8)
    ax.axvline(1.0, color="#888", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    _plain_ticks(ax, low, high)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_yticks(range(len(rows)), [r.label for r in reversed(rows)])
    ax.set_xlabel("ratio (log scale; 1 = no difference)")
    return svg_text(figure)
